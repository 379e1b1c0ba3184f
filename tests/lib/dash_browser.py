#!/usr/bin/python3
"""Drive the dashboard in headless Chromium (Debian's chromium,
chromium-driver and python3-selenium) as a person would: sign in, read
the funnel, open a lead, move it, add a note, retry a quarantined
inquiry, follow a campaign, switch language, sign out. Screenshots go
to OUT. Prints "ok - label" / "not ok - label: why"; exits 1 on a failure.

usage: dash_browser.py BASE_URL DB OUT QUARANTINE_ID CAMPAIGN
"""
import os
import socket
import sqlite3
import sys
import tempfile

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, DB, OUT, QID, CAMPAIGN = sys.argv[1:6]
fails = 0


def ok(label, cond, why=""):
    global fails
    if cond:
        print("ok - " + label)
    else:
        fails += 1
        print("not ok - %s: %s" % (label, why or "condition false"))


def sql(q, *args):
    con = sqlite3.connect(DB)
    try:
        return con.execute(q, args).fetchone()
    finally:
        con.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def browser(tmp):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1200,1000",
              "--user-data-dir=" + tmp, "--lang=en-US"):
        o.add_argument(a)
    o.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    svc = Service("/usr/bin/chromedriver", port=free_port())
    return webdriver.Chrome(service=svc, options=o)


def click(d, by, what):
    """Click and wait for the next page: a submit returns before it."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(by, what).click()
    WebDriverWait(d, 20).until(EC.staleness_of(old))


def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def sign_in(d, user, pw):
    """Fill in and send the sign-in form. Chromium may still be replacing
    the document when get() returns (a redirect of the page before it, a
    busy machine): the form is filled again, from a fresh load, when its
    fields went stale under the driver ("Node with given id does not
    belong to the document"), at most three times; the last failure is
    raised, so the test still fails when the page never settles."""
    for attempt in range(3):
        d.get(BASE + "/dash/login")
        try:
            WebDriverWait(d, 20).until(
                lambda drv: drv.execute_script(
                    "return document.readyState") == "complete")
            d.find_element(By.ID, "user").clear()
            d.find_element(By.ID, "user").send_keys(user)
            d.find_element(By.ID, "password").send_keys(pw)
        except WebDriverException:
            if attempt == 2:
                raise
            continue
        break
    click(d, By.ID, "signin")


def shot(d, name, width, height):
    d.set_window_size(width, height)
    # The whole page: as tall as its content.
    h = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(width, max(height, min(int(h) + 120, 4000)))
    path = os.path.join(OUT, name)
    d.save_screenshot(path)
    ok("screenshot " + name, os.path.getsize(path) > 2000)
    d.set_window_size(1200, 1000)


def main():
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="dash-chromium.")
    d = browser(tmp)
    d.set_page_load_timeout(30)
    try:
        run(d)
    finally:
        d.quit()


def run(d):
    d.get(BASE + "/dash/leads")
    ok("a page without a session leads to the sign-in page",
       d.current_url.endswith("/dash/login"), d.current_url)

    sign_in(d, "agent1", "wrong password")
    ok("a wrong password is refused", "wrong password" in text(d).lower()
       and d.current_url.endswith("/dash/login"), d.current_url)

    sign_in(d, "agent1", "agent-pass-1")
    ok("signing in leads to the funnel", d.current_url.endswith("/dash"),
       d.current_url)
    svg = d.find_elements(By.CSS_SELECTOR, "#funnel svg rect")
    ok("the funnel is an SVG with bars", len(svg) >= 3, str(len(svg)))
    ok("the funnel names the phases", "Demande reçue" in text(d))
    shot(d, "dash_funnel.png", 1200, 800)
    shot(d, "dash_funnel_phone.png", 390, 844)

    # The window and source filter the funnel.
    Select(d.find_element(By.NAME, "source")).select_by_value("web")
    d.find_element(By.ID, "since").send_keys("01012020")
    click(d, By.CSS_SELECTOR, "form[action='/dash'] button")
    ok("the funnel filters by source", "source=web" in d.current_url,
       d.current_url)

    d.get(BASE + "/dash/leads?filter=" + "source%20%3D%20web")
    rows = d.find_elements(By.CSS_SELECTOR, "#leads tr")
    ok("the leads list filters", len(rows) - 1 == int(sql(
        "select count(*) from leads l join sources s on s.id = l.source_id "
        "where s.name = 'web'")[0]), str(len(rows)))
    ok("a contact's name is shown as text",
       "<script>" in text(d) and d.execute_script(
           "return window.injected === undefined"))

    # The lead the mail with an attachment made.
    lid = sql("select l.id from leads l join contact_emails e on "
              "e.contact_id = l.contact_id where e.norm = "
              "'hans.meier@example.org'")[0]
    d.get(BASE + "/dash/leads")
    click(d, By.LINK_TEXT, str(lid))
    ok("a lead opens", d.current_url.endswith("/dash/leads/%d" % lid),
       d.current_url)
    ok("the lead shows its mail's attachment",
       len(d.find_elements(By.PARTIAL_LINK_TEXT, "expose.pdf")) == 1)
    shot(d, "dash_lead.png", 1200, 1000)

    before = sql("select phase_no from leads where id = ?", lid)[0]
    Select(d.find_element(By.ID, "phase")).select_by_value("3")
    d.find_element(By.ID, "move_remark").send_keys("called back")
    click(d, By.ID, "move")
    ok("the move lands back on the lead",
       ("/dash/leads/%d" % lid) in d.current_url, d.current_url)
    after = sql("select phase_no from leads where id = ?", lid)[0]
    ok("moving a lead changes its phase", before != 3 and after == 3,
       "%s -> %s" % (before, after))
    ok("the history shows the move", "called back" in text(d))

    d.find_element(By.ID, "remark").send_keys("sent the floor plan")
    click(d, By.ID, "addnote")
    ok("a note is added", sql("select count(*) from history where "
       "lead_id = ? and remark = 'sent the floor plan'", lid)[0] == 1)

    d.get(BASE + "/dash/quarantine")
    ok("the quarantine lists the held inquiry",
       len(d.find_elements(By.ID, "retry-" + QID)) == 1)
    leads_before = sql("select count(*) from leads")[0]
    click(d, By.ID, "retry-" + QID)
    ok("a retried inquiry becomes a lead",
       sql("select count(*) from leads")[0] == leads_before + 1 and
       "/dash/leads/" in d.current_url, d.current_url)
    ok("... and leaves the quarantine", sql(
        "select state from quarantine where id = ?", int(QID))[0] ==
        "retried")
    ok("an agent is offered no drop",
       len(d.find_elements(By.CSS_SELECTOR, "[id^=drop-]")) == 0)

    d.get(BASE + "/dash/campaigns")
    row = [r.text for r in d.find_elements(By.CSS_SELECTOR,
                                           "#campaigns tr")
           if CAMPAIGN in r.text]
    sent = sql("select count(*) from outgoing o join campaigns c on "
               "c.id = o.campaign_id where c.name = ? and o.state = 'sent'",
               CAMPAIGN)[0]
    ok("the campaign shows its counts and progress",
       len(row) == 1 and (" %d " % sent) in " " + row[0] + " " and
       "100%" in row[0] and sent > 0, repr(row))
    shot(d, "dash_campaigns.png", 1200, 600)

    d.get(BASE + "/dash/status")
    ok("the status page shows the quarantine", "quarantine_held" in text(d))

    click(d, By.ID, "logout")
    ok("sign-out leads to the sign-in page",
       d.current_url.endswith("/dash/login"), d.current_url)
    d.get(BASE + "/dash")
    ok("after sign-out the pages need a session again",
       d.current_url.endswith("/dash/login"), d.current_url)

    sign_in(d, "greta", "greta-pass-1")
    ok("a user's own language (de)", "Trichter" in text(d) and
       "Abmelden" in text(d), text(d)[:80])
    shot(d, "dash_funnel_de.png", 1200, 800)


if __name__ == "__main__":
    try:
        main()
    except WebDriverException as ex:
        ok("the browser runs", False, str(ex).splitlines()[0])
    sys.exit(1 if fails else 0)
