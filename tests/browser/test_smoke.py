def test_a_member_logs_in_on_a_phone_and_sees_the_tab_bar(site, phone):
    from tests.browser.conftest import log_in

    log_in(phone, site, "zhuzheng")
    tabbar = phone.locator("nav.tabbar")
    for label in ["首页", "提案", "会议", "履职", "我的"]:
        assert tabbar.get_by_text(label).is_visible()
    # the tab bar fits the 375 px screen
    box = tabbar.bounding_box()
    assert box["width"] <= 375
    assert not phone.js_errors
