from collections import Counter

from lvzhi.core import text as T


def test_it_keeps_the_seed_topics_as_words():
    words = T.tokens("关于推进未来乡村建设、打造文创品牌、加快数字化转型和城市有机更新的建议")
    for word in ("未来乡村", "文创品牌", "数字化转型", "城市有机更新"):
        assert "w:" + word in words
    assert "科技" in T.bigrams("科技创新") and "技创" in T.bigrams("科技创新")


def test_it_normalises_full_width_and_case():
    assert T.normalize("５Ｇ　基站  ABC") == "5g 基站 abc"
    assert T.tokens("５Ｇ基站") == T.tokens("5g基站")


def test_it_splits_sentences():
    assert T.sentences("一是加强统筹。二是完善机制!三是强化考核\n四") == [
        "一是加强统筹。",
        "二是完善机制!",
        "三是强化考核",
        "四",
    ]


def test_batch_counts_equal_the_tokens_of_each_text():
    texts = ["针对地铁口周边非机动车乱停放问题,建议设置电子围栏。2025年", "单", "", "ABC 数字化转型"]
    doc, ids, counts = T.batch_counts(texts)
    for i, text in enumerate(texts):
        expected = Counter(T.term_id(t) for t in T.tokens(text))
        assert dict(zip(ids[doc == i].tolist(), counts[doc == i].tolist(), strict=True)) == expected
        single_ids, single_counts = T.term_counts(text)
        assert dict(zip(single_ids.tolist(), single_counts.tolist(), strict=True)) == expected


def test_cosine_of_a_text_with_itself_is_one_and_with_another_topic_small():
    a = "建议在地铁口周边规划设置非机动车停放区,推行电子围栏管理。"
    b = "建议设立文创品牌专项扶持资金,举办文创设计大赛。"

    def vec(t):
        ids, counts = T.term_counts(t)
        return ids, T.weigh(counts, T.idf(counts * 0 + 1, 10))

    assert abs(T.cosine(vec(a), vec(a)) - 1) < 1e-5
    assert T.cosine(vec(a), vec(b)) < 0.2
