"""Demo proposals of the Qiantang committee: categories, and proposals in every state of the workflow,
written through the services so that their timelines are real. The seed names three of them: 朱政 (科技界)
on science and innovation, 徐钢 (致公党) on future villages, 茅徐程 (文化和新闻出版界) on a cultural brand."""

from .models import Category

CATEGORIES = ["经济建设", "科技创新", "城乡建设", "社会事业", "文化旅游", "生态环境", "农业农村", "社会治理", "其他"]


def load(committee) -> None:
    if Category.objects.for_committee(committee).exists():
        return
    Category.objects.bulk_create(
        [Category(committee=committee, name=name, order=i) for i, name in enumerate(CATEGORIES, 1)]
    )
