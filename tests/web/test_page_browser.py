"""The live page in a real headless chromium (Debian's /usr/bin/chromium, driven by playwright).

The app runs in this test's event loop with a real chdb ClickHouse and a real AlertFeed; alerts are
published the way the pipeline does (ClickHouse row + feed), and the page is only awaited through
playwright's waits and expectations, never with sleeps.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from streams.clickhouse import insert_alerts

CHROMIUM = os.environ.get("LIVEWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} is absent (apt-get install -y chromium fonts-noto-cjk)"),
]


@pytest.fixture
async def browser() -> Any:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            await b.close()


async def open_page(browser: Any, url: str) -> Any:
    page = await browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    await page.goto(url)
    # the stream is open (the server subscribes before answering) and the backfill is done
    await page.wait_for_selector('#sse-status[data-sse="open"]')
    return page


async def test_live_alert_appears_and_filters(web_factory, ch, make_alert, browser, archive_segments):
    from playwright.async_api import expect

    old = make_alert(platform="kuaishou", host_id="ks-h-zhaodc", room_id="ks-r-7", kind="price_anomaly",
                     severity="medium", evidence="9.9", event_ts_ms=make_alert().event_ts_ms - 120_000)
    insert_alerts(ch, [old])
    async with web_factory() as web:
        page = await open_page(browser, web.url)
        await expect(page.locator(f'tr[data-alert-id="{old.alert_id}"]')).to_be_visible()
        await expect(page.locator("#top-hosts li").first).to_have_attribute("data-key", "ks-h-zhaodc")

        # a violation arrives: sink writes it, feed publishes it
        texts = ["今天给大家带来黑芝麻丸", "黑芝麻丸每天吃两颗，降血压降血糖，比吃药还管用", "独立包装很方便"]
        live = make_alert(kind="false_advertising", severity="critical", evidence="降血压降血糖",
                          details={"start": 10, "end": 16, "field": "text"}, host_id="dy-h-linxm",
                          room_id="dy-r-100")
        insert_alerts(ch, [live])
        archive_segments(ch, live, texts, hit=1)
        web.feed.publish(live.to_contract())
        row = page.locator(f'tr[data-alert-id="{live.alert_id}"]')
        await expect(row).to_be_visible()
        await expect(row).to_contain_text("降血压降血糖")
        await expect(row).to_contain_text("虚假宣传")
        await expect(row).to_contain_text("严重")
        # newest first
        await expect(page.locator("#alert-rows tr").first).to_have_attribute("data-alert-id", live.alert_id)
        await expect(page.locator("#feed-count")).to_have_attribute("data-count", "2")

        # a replayed alert never shows on the live page
        replayed = make_alert(replay_id="rp-1", evidence="回放告警")
        web.feed.publish(replayed.to_contract())

        # filter by platform: the live douyin alert hides, the kuaishou one stays
        await page.select_option("#f-platform", "kuaishou")
        await expect(row).to_have_count(0)
        await expect(page.locator(f'tr[data-alert-id="{old.alert_id}"]')).to_be_visible()
        # ...and shows again when the filter allows it
        await page.select_option("#f-platform", "douyin")
        await expect(row).to_be_visible()
        await expect(page.locator(f'tr[data-alert-id="{old.alert_id}"]')).to_have_count(0)
        assert "platform=douyin" in page.url
        await page.fill("#f-host", "someone-else")
        await page.press("#f-host", "Enter")
        await expect(row).to_have_count(0)
        await page.click("#f-reset")
        await expect(row).to_be_visible()
        await expect(page.locator(f'tr[data-alert-id="{old.alert_id}"]')).to_be_visible()
        await expect(page.locator(f'tr[data-alert-id="{replayed.alert_id}"]')).to_have_count(0)

        # a filtered stream: a new kuaishou alert does not reach a douyin-filtered page
        await page.select_option("#f-platform", "douyin")
        await page.wait_for_selector('#sse-status[data-sse="open"]')
        other = make_alert(platform="kuaishou", evidence="快手新告警")
        web.feed.publish(other.to_contract())
        later = make_alert(platform="douyin", evidence="抖音新告警")
        web.feed.publish(later.to_contract())
        await expect(page.locator(f'tr[data-alert-id="{later.alert_id}"]')).to_be_visible()
        await expect(page.locator(f'tr[data-alert-id="{other.alert_id}"]')).to_have_count(0)

        # detail: evidence highlighted inside its transcript context
        await row.click()
        await page.wait_for_selector('#detail[data-loaded="true"]')
        await expect(page.locator("#detail-evidence")).to_have_text("降血压降血糖")
        await expect(page.locator("#detail-context li")).to_have_count(3)
        await expect(page.locator("#detail-context li.hit mark")).to_have_text("降血压降血糖")
        await expect(page.locator("#detail-fields")).to_contain_text(live.alert_id)
        await page.click("#detail-close")
        await expect(page.locator("#detail")).to_be_hidden()

        # per-minute counts for the last hour
        await expect(page.locator("#minutely .bar")).to_have_count(60)
        assert page.errors == []
        await page.close()


async def test_replay_page_never_mixes_with_live(web_factory, ch, make_alert, browser):
    from playwright.async_api import expect

    live, replayed = make_alert(evidence="直播告警"), make_alert(replay_id="rp-7", evidence="回放告警")
    insert_alerts(ch, [live, replayed])
    async with web_factory() as web:
        page = await open_page(browser, web.url + "?replay_id=rp-7")
        await expect(page.locator("#replay-banner")).to_have_text("回放：rp-7")
        await expect(page.locator(f'tr[data-alert-id="{replayed.alert_id}"]')).to_be_visible()
        await page.click("#f-reset")  # clearing the filters keeps the replay
        await page.wait_for_selector('#sse-status[data-sse="open"]')
        streamed_live, streamed_replay = make_alert(), make_alert(replay_id="rp-7", evidence="回放新告警")
        web.feed.publish(streamed_live.to_contract())
        web.feed.publish(streamed_replay.to_contract())
        await expect(page.locator(f'tr[data-alert-id="{streamed_replay.alert_id}"]')).to_be_visible()
        await expect(page.locator("#feed-count")).to_have_attribute("data-count", "2")
        for alert in (live, streamed_live):
            await expect(page.locator(f'tr[data-alert-id="{alert.alert_id}"]')).to_have_count(0)
        assert page.errors == []
        await page.close()


SCREENSHOT_ALERTS = [
    # minutes ago, platform, host, room, kind, rule, severity, evidence, transcript text (or None)
    (1, "kuaishou", "ks-h-zhaodc", "ks-r-2001", "false_advertising", "medical_claim", "critical",
     "降血压降血糖", "黑芝麻丸每天吃两颗，降血压降血糖，比吃药还管用"),
    (2, "douyin", "dy-h-linxm", "dy-r-1001", "false_advertising", "absolute_claim", "high",
     "全网最低价", "这款面膜是全网最低价，别家都没有这个价格"),
    (3, "douyin", "dy-h-wangsm", "dy-r-3001", "ccc_invalid", "ccc_expired", "high",
     "公牛 插线板 GN-B3 五孔 1.8米", None),
    (6, "douyin", "dy-h-fake88", "dy-r-8801", "blacklisted_host", "blacklisted_host_alias", "critical",
     "美美姐严选", None),
    (9, "kuaishou", "ks-h-chenj", "ks-r-4001", "unlisted_product", "not_on_selection_list", "high",
     "进口奶粉 3段 800g 新西兰原装", None),
    (14, "douyin", "dy-h-linxm", "dy-r-1001", "false_advertising", "efficacy_claim", "high",
     "三天美白", "坚持用三天美白，七天祛斑，姐妹们放心冲"),
    (17, "douyin", "dy-h-wangsm", "dy-r-3001", "price_anomaly", "price_far_below_range", "medium",
     "9.9", None),
    (23, "kuaishou", "ks-h-zhaodc", "ks-r-2001", "false_advertising", "absolute_claim", "medium",
     "纯天然零添加", "我们家的大米纯天然零添加，放心给孩子吃"),
    (31, "douyin", "dy-h-linxm", "dy-r-1001", "unlisted_product", "not_on_selection_list", "high",
     "网红同款 瘦身咖啡 30条", None),
    (38, "kuaishou", "ks-h-chenj", "ks-r-4001", "false_advertising", "medical_claim", "critical",
     "提高免疫力，预防感冒", "宝宝喝了这个提高免疫力，预防感冒，比去医院强"),
    (47, "douyin", "dy-h-wangsm", "dy-r-3001", "ccc_invalid", "ccc_missing", "high",
     "儿童电动遥控越野车 玩具", None),
    (55, "douyin", "dy-h-linxm", "dy-r-1001", "false_advertising", "absolute_claim", "low",
     "销量第一", "这个牌子销量第一，大家都在买"),
]


@pytest.mark.skipif(not os.environ.get("LIVEWATCH_SCREENSHOT"), reason="set LIVEWATCH_SCREENSHOT=docs/live-feed.png")
async def test_screenshot(web_factory, ch, make_alert, browser, archive_segments):
    """Regenerates the documentation screenshot: LIVEWATCH_SCREENSHOT=docs/live-feed.png pytest -k screenshot."""
    import time

    from playwright.async_api import expect

    now = int(time.time() * 1000)
    made = []
    for minutes, platform, host, room, kind, rule, severity, evidence, text in SCREENSHOT_ALERTS:
        details: dict[str, Any] = {"field": "text"}
        if text:
            details.update(start=text.index(evidence), end=text.index(evidence) + len(evidence))
        alert = make_alert(platform=platform, host_id=host, room_id=room, session_id=f"{room}-s1", kind=kind,
                           rule=rule, severity=severity, evidence=evidence, details=details,
                           event_ts_ms=now - minutes * 60_000 - 7000, detected_at_ms=now - minutes * 60_000,
                           source_topic="transcripts" if text else "product_cards")
        made.append((alert, text))
    for minutes in range(4, 54, 5):  # background traffic for the per-minute chart
        made.append((make_alert(event_ts_ms=now - minutes * 60_000, host_id="dy-h-linxm", room_id="dy-r-1001",
                                kind="unlisted_product" if minutes % 3 else "price_anomaly", severity="medium",
                                evidence="小棕瓶精华液 50ml"), None))
    insert_alerts(ch, [a for a, _ in made[2:]])
    for alert, text in made:
        if text:
            archive_segments(ch, alert, ["欢迎新进直播间的宝宝们", text, "喜欢的家人们点点关注"], hit=1)
    async with web_factory() as web:
        page = await browser.new_page(viewport={"width": 1440, "height": 860}, locale="zh-CN",
                                      timezone_id="Asia/Shanghai", reduced_motion="reduce")
        await page.goto(web.url)
        await page.wait_for_selector('#sse-status[data-sse="open"]')
        insert_alerts(ch, [a for a, _ in made[:2]])
        for alert, _ in reversed(made[:2]):  # the two newest arrive live
            web.feed.publish(alert.to_contract())
        await expect(page.locator("#feed-count")).to_have_attribute("data-count", str(len(made)))
        await expect(page.locator("#minutely-total")).to_have_attribute("data-total", str(len(made)))
        await page.screenshot(path=os.environ["LIVEWATCH_SCREENSHOT"])
        if os.environ.get("LIVEWATCH_SCREENSHOT_DETAIL"):
            await page.locator(f'tr[data-alert-id="{made[0][0].alert_id}"]').click()
            await page.wait_for_selector('#detail[data-loaded="true"]')
            await page.screenshot(path=os.environ["LIVEWATCH_SCREENSHOT_DETAIL"])
        await page.close()
