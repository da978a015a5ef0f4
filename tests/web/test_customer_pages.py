"""The customer pages (docs/customer-pages.md) in headless Chromium against a real `redress serve`:
the complaint form filed with JavaScript and again with JavaScript switched off (the form's own
checks in the first, the server's answers in the second, the 3-second minimum fill time in both),
the ticket number and the status link on the thanks page, the status page behind that link with a
message added there that lands on the ticket, the honeypot refused with an explanation, a hostile
subject and text that stay text, and the survey page rated after the ticket was signed off.

Run by ctest (label "browser"); screenshots of each page at 360 px and at desktop width go to
$REDRESS_SCREENSHOTS.
"""

import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import redress_web as rw  # noqa: E402

OWNER, MANAGER = 'olga', 'maria'
PASSWORDS = {OWNER: 'the owner long password', MANAGER: 'the manager long password'}
MIN_FILL = 3.0  # seconds (http.form_min_fill): a form sent sooner after it was issued is refused as a robot's
HOSTILE = '<img src=x onerror=alert(1)>'
NARROW, WIDE = (360, 800), (1280, 900)


class NoScriptBrowser(rw.Browser):
    """rw.Browser with the page's JavaScript switched off through Chromium's content settings."""

    def __init__(self, root):
        from selenium.webdriver.chrome.options import Options
        original = Options.add_experimental_option

        def with_script_off(options, name, value):
            if name == 'prefs':
                value = dict(value, **{'profile.managed_default_content_settings.javascript': 2})
            return original(options, name, value)

        Options.add_experimental_option = with_script_off
        try:
            super().__init__(root)
        finally:
            Options.add_experimental_option = original


class CustomerPages(rw.DaemonAndBrowsers, rw.PageHelpers, unittest.TestCase):
    scratch_prefix = 'redress-customer-'
    users = {OWNER: ('owner', PASSWORDS[OWNER]), MANAGER: ('manager', PASSWORDS[MANAGER])}

    @classmethod
    def config(cls):
        # The signed links carry http.public_url: the daemon listens where the links point.
        port = rw.free_port()
        config = rw.default_config()
        config['http'] = {'listen': f'127.0.0.1:{port}', 'public_url': f'http://127.0.0.1:{port}',
                          'form_min_fill': f'PT{MIN_FILL:.0f}S'}
        return config

    @classmethod
    def before_start(cls):
        cls.manager_token = cls.daemon.token(MANAGER)
        cls.owner_token = cls.daemon.token(OWNER)

    @classmethod
    def open_browsers(cls):
        cls.browser = cls.opened(rw.Browser(cls.scratch.path))
        cls.no_script = cls.opened(NoScriptBrowser(cls.scratch.path))

    # ---- helpers

    def shots_at_both_widths(self, driver, name):
        """`name`-360.png and `name`-desktop.png of the page as it is; at 360 px the page must not
        scroll sideways (docs/customer-pages.md: it reads well from 360 px wide)."""
        try:
            driver.set_window_size(*NARROW)
            # WebDriver's own scripts run with the page's JavaScript off as well.
            overflow = 'return document.documentElement.scrollWidth - document.documentElement.clientWidth'
            self.assertLessEqual(driver.execute_script(overflow), 0, f'{name} scrolls sideways at 360 px')
            driver.save_screenshot(str(self.shots / f'{name}-360.png'))
        finally:
            driver.set_window_size(*WIDE)
        driver.save_screenshot(str(self.shots / f'{name}-desktop.png'))

    def assert_legends_inside_their_boxes(self, driver):
        """At 360 px the contact fieldset's legend wraps: it must stand inside the box, below its top
        border, not on the border with the line running through its text."""
        try:
            driver.set_window_size(*NARROW)
            boxes = driver.execute_script(
                'return [...document.querySelectorAll("fieldset")].map(f => {'
                '  const legend = f.querySelector("legend");'
                '  const top = f.getBoundingClientRect().top + parseFloat(getComputedStyle(f).borderTopWidth);'
                '  return [legend.textContent, legend.getBoundingClientRect().top, top,'
                '          legend.getBoundingClientRect().height]; })')
            self.assertTrue(boxes, 'the form has no fieldset')
            for text, legend_top, border_bottom, height in boxes:
                self.assertGreaterEqual(legend_top, border_bottom, f'the legend "{text}" is on the top border')
            # The contact hint does wrap at this width: the case this is about.
            self.assertGreater(max(height for *_, height in boxes), 30, 'no legend wraps at 360 px')
        finally:
            driver.set_window_size(*WIDE)

    def fill_form(self, driver, name, email, phone, details, when='', reference=''):
        form = self.wait('form.complaint', driver=driver)
        for css, text in (('#name', name), ('#email', email), ('#phone', phone), ('#details', details),
                          ('#when', when), ('#reference', reference)):
            field = form.find_element('css selector', css)
            field.clear()
            if text:
                field.send_keys(text)
        return form

    def open_form(self, driver):
        driver.get(self.daemon.url + '/complain')
        self.wait('form.complaint', driver=driver)
        return time.monotonic()

    @staticmethod
    def past_min_fill(issued):
        """The form's token refuses a form sent within MIN_FILL of being issued; the daemon's clock
        is the real one here, so the test waits out the rest of those seconds."""
        left = issued + MIN_FILL + 0.5 - time.monotonic()
        if left > 0:
            time.sleep(left)

    def send(self, driver, form):
        form.find_element('css selector', 'button[type=submit]').click()

    def thanks(self, driver):
        """The thanks page's ticket number and status link."""
        number_text = self.wait('p.number', driver=driver).text
        match = re.search(r'\b([A-Z]+-\d+)\b', number_text)
        self.assertTrue(match, number_text)
        link = self.wait('a.status-link', driver=driver)
        href = link.get_attribute('href')
        self.assertEqual(link.text, href)
        self.assertRegex(href, rf'^{re.escape(self.daemon.url)}/status/{match.group(1)}/[A-Za-z0-9_-]+$')
        return match.group(1), href

    def ticket(self, number):
        status, body = self.daemon.api('GET', f'/tickets/{number}', self.manager_token)
        self.assertEqual(status, 200, body)
        return body

    def no_alert(self, driver):
        from selenium.common.exceptions import NoAlertPresentException
        try:
            alert = driver.switch_to.alert
        except NoAlertPresentException:
            return
        text = alert.text
        alert.dismiss()
        self.fail(f'the page showed an alert: {text!r}')

    def status_link_from_letters(self, number):
        pattern = re.compile(rf'({re.escape(self.daemon.url)}/status/{re.escape(number)}/[A-Za-z0-9_-]+)')

        def find():
            for _, message in self.daemon.letters():
                body = message.get_body(preferencelist=('plain',))
                found = pattern.search(body.get_content()) if body is not None else None
                if found:
                    return found.group(1)
            return None
        return rw.wait_until(find, timeout=20, what=f'the acknowledgement of {number} with its status link')

    # ---- the tests, in order

    def test_01_form_with_javascript_then_the_status_page(self):
        driver = self.browser.driver
        issued = self.open_form(driver)
        self.assertEqual(driver.execute_script('return document.documentElement.lang'), 'en')
        self.assert_legends_inside_their_boxes(driver)
        self.shots_at_both_widths(driver, 'customer-form')
        # The script's own check: neither email nor phone, and the form is not sent at all.
        form = self.fill_form(driver, 'Anna Smirnova', '', '', 'The kettle arrived with a broken lid. I complain.')
        self.send(driver, form)
        message = driver.execute_script("return document.querySelector('#email').validationMessage")
        self.assertEqual(message, form.get_attribute('data-problem-contact'))
        self.assertIn('email address or a phone number', message)
        self.assertEqual(self.find('[role=alert]', driver=driver), [], 'the server answered a form the script held back')
        details = f'The kettle arrived with a broken lid and the shop ignores me. I complain. {time.time_ns()}'
        form = self.fill_form(driver, 'Anna Smirnova', 'anna.smirnova@example.org', '', details,
                              when='12 March, about 3 pm', reference='ORD-4471')
        self.past_min_fill(issued)
        self.send(driver, form)
        number, link = self.thanks(driver)
        self.shots_at_both_widths(driver, 'customer-thanks')

        ticket = self.ticket(number)
        self.assertEqual(ticket['channel'], 'web', ticket)
        texts = [m.get('text', '') for m in ticket['messages']]
        self.assertTrue(any(details in t and 'ORD-4471' in t for t in texts), texts)

        # The status page behind the link: where the complaint stands, then a message added there.
        driver.get(link)
        self.assertIn(number, self.wait('main h1', driver=driver).text)
        # At 360 px the heading keeps the number in one piece (it broke into "RD-" and "000001").
        try:
            driver.set_window_size(*NARROW)
            pieces = driver.execute_script(
                "const n = document.querySelector('main h1 .ticket-number'); return n ? n.getClientRects().length : 0")
        finally:
            driver.set_window_size(*WIDE)
        self.assertEqual(pieces, 1, 'the ticket number in the heading is missing or broken at 360 px')
        current = self.wait('ol.stages li[aria-current=step]', driver=driver)
        self.assertIn('Registered', current.text)
        self.assertTrue(self.wait('p.explanation', driver=driver).text.strip())
        self.assertIn(details, self.wait('ul.messages', driver=driver).text)
        addition = f'The box was also wet inside. {time.time_ns()}'
        field = self.wait('textarea#message', driver=driver)
        field.send_keys(addition)
        field.find_element('xpath', './ancestor::form').find_element('css selector', 'button[type=submit]').click()
        self.assertIn('your message has been added', self.wait('[role=status], [role=alert]', driver=driver).text)
        self.assertIn(addition, self.wait('ul.messages', driver=driver).text)
        self.shots_at_both_widths(driver, 'customer-status')
        rw.wait_until(lambda: any(addition in m.get('text', '') for m in self.ticket(number)['messages']),
                      what='the added message on the ticket')
        # The CLI sees it too, as the customer's message.
        shown = self.daemon.cli('tickets', 'show', number).stdout
        self.assertIn(addition, shown)
        # A link whose signature is not ours is nothing at all.
        driver.get(link[:-4] + ('AAAA' if not link.endswith('AAAA') else 'BBBB'))
        self.assertIn('not found', self.wait('main h1', driver=driver).text.lower())
        self.assertNotIn(details, driver.page_source)
        console = [e['message'] for e in self.browser.collect_console()]
        self.assertEqual([m for m in console if 'Content Security Policy' in m or 'Refused to' in m], [])

    def test_02_form_without_javascript(self):
        driver = self.no_script.driver
        details = f'My order came two weeks late and nobody answered my calls. I complain. {time.time_ns()}'
        # Sent at once (before anyone could type), the form is refused as a robot's would be: shown
        # on a second daemon whose minimum fill time is ten minutes, so that a slow browser on a
        # loaded machine still sends it "at once".
        port = rw.free_port()
        config = rw.default_config()
        config['http'] = {'listen': f'127.0.0.1:{port}', 'public_url': f'http://127.0.0.1:{port}',
                          'form_min_fill': 'PT10M'}
        slow_form = rw.Daemon(self.scratch.path / 'slow-form', config)
        slow_form.start()
        try:
            driver.get(slow_form.url + '/complain')
            self.fill_form(driver, 'Ivan Petrov', 'ivan@example.org', '', details)
            self.wait('form.complaint', driver=driver).submit()
            self.assertIn('very quickly', self.wait('[role=alert]', driver=driver).text)
            self.assertEqual(self.wait('textarea#details', driver=driver).get_attribute('value'), details)
        finally:
            code = slow_form.stop()
        self.assertEqual(code, 0, slow_form.log()[-3000:])
        self.assertFalse(slow_form.letters(), 'a form sent too fast was taken')
        self.open_form(driver)
        issued = time.monotonic()
        # Without the script the contact check is the server's: neither email nor phone.
        form = self.fill_form(driver, 'Ivan Petrov', '', '', details)
        self.past_min_fill(issued)
        self.send(driver, form)
        self.assertIn('email address or a phone number', self.wait('[role=alert]', driver=driver).text)
        issued = time.monotonic()
        self.assertEqual(self.wait('textarea#details', driver=driver).get_attribute('value'), details)
        self.assertEqual(self.wait('#email', driver=driver).get_attribute('aria-invalid'), 'true')
        self.shots_at_both_widths(driver, 'customer-form-refused')
        form = self.fill_form(driver, 'Ivan Petrov', '', '+7 900 123-45-67', details)
        self.past_min_fill(issued)
        self.send(driver, form)
        number, link = self.thanks(driver)
        self.assertIn('+7 900 123-45-67', self.wait('main', driver=driver).text)
        self.shots_at_both_widths(driver, 'customer-thanks-noscript')
        ticket = self.ticket(number)
        self.assertEqual(ticket['channel'], 'web')
        self.assertTrue(any(details in m.get('text', '') for m in ticket['messages']))
        # The status page works without the script as well.
        driver.get(link)
        addition = f'I can be reached after 6 pm. {time.time_ns()}'
        self.wait('textarea#message', driver=driver).send_keys(addition)
        self.wait('form button[type=submit]', driver=driver).click()
        self.assertIn(addition, self.wait('ul.messages', driver=driver).text)
        self.shots_at_both_widths(driver, 'customer-status-noscript')
        rw.wait_until(lambda: any(addition in m.get('text', '') for m in self.ticket(number)['messages']),
                      what='the added message on the ticket')

    def test_03_honeypot_is_refused_with_an_explanation(self):
        driver = self.browser.driver
        issued = self.open_form(driver)
        details = f'Robot text about a kettle. {time.time_ns()}'
        before = len(self.daemon.api('GET', '/tickets?limit=500', self.manager_token)[1]['tickets'])
        form = self.fill_form(driver, 'Robot', 'robot@example.org', '', details)
        honeypot = form.find_element('css selector', '#website')
        self.assertFalse(honeypot.is_displayed(), 'people can see the honeypot')
        self.assertEqual(honeypot.get_attribute('tabindex'), '-1')
        # A robot fills every field, the hidden one too.
        driver.execute_script("arguments[0].value = 'http://spam.example'", honeypot)
        self.past_min_fill(issued)
        self.send(driver, form)
        refusal = self.wait('[role=alert]', driver=driver).text
        self.assertIn('a field that must stay empty was filled in', refusal)
        self.assertEqual(self.find('p.number', driver=driver), [])
        self.assertEqual(self.wait('textarea#details', driver=driver).get_attribute('value'), details)
        status, found = self.daemon.api('GET', '/tickets?limit=500', self.manager_token)
        self.assertEqual(status, 200, found)
        self.assertEqual(len(found['tickets']), before, 'the honeypot opened a ticket')
        self.assertIn('complaint_form.refused', self.daemon.log())

    def test_04_hostile_subject_and_text_stay_text(self):
        driver = self.browser.driver
        subject = f'{HOSTILE} kettle {time.time_ns()}'
        self.daemon.drop(subject, f'The kettle leaks and burnt my table. I complain. {HOSTILE}\n')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        link = self.status_link_from_letters(number)
        driver.get(link)
        facts = self.wait('dl.facts', driver=driver)
        self.assertIn(subject, facts.text)
        self.assertIn(HOSTILE, self.wait('ul.messages', driver=driver).text)
        # Added on the page, the same text comes back as text.
        self.wait('textarea#message', driver=driver).send_keys(f'Again: {HOSTILE}')
        self.wait('form button[type=submit]', driver=driver).click()
        self.wait('[role=status], [role=alert]', driver=driver)
        self.assertIn(f'Again: {HOSTILE}', self.wait('ul.messages', driver=driver).text)
        self.no_alert(driver)
        self.assertEqual(driver.execute_script("return document.querySelectorAll('img[src=x], [onerror]').length"), 0)
        self.shots_at_both_widths(driver, 'customer-status-hostile')

    def test_05_survey_rated_through_the_page(self):
        driver = self.browser.driver
        subject = f'Survey kettle {time.time_ns()}'
        self.daemon.drop(subject, 'I ordered a red kettle and got a green one. Unacceptable, I complain.\n')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        steps = (('take', {}), ('verdict', {'verdict': 'justified', 'reason': 'Wrong item picked'}),
                 ('actions', {'for': 'customer', 'text': 'Send the red one', 'responsible': MANAGER,
                              'due': '2099-01-01'}),
                 ('actions', {'for': 'process', 'text': 'Check colours', 'responsible': MANAGER,
                              'due': '2099-01-01'}))
        for step, body in steps:
            status, answer = self.daemon.api('POST', f'/tickets/{number}/{step}', self.manager_token, body)
            self.assertEqual(status, 200, answer)
        action = next(a for a in self.ticket(number)['actions'] if a['for'] == 'customer')
        status, answer = self.daemon.api('POST', f'/tickets/{number}/actions/{action["id"]}', self.manager_token,
                                         {'state': 'done'})
        self.assertEqual(status, 200, answer)
        status, answer = self.daemon.api('POST', f'/tickets/{number}/resolve', self.manager_token,
                                         {'summary': 'The red one arrived.'})
        self.assertEqual(status, 200, answer)
        status, answer = self.daemon.api('POST', f'/tickets/{number}/signoff', self.owner_token, {'code': 'FIXED'})
        self.assertEqual(status, 200, answer)

        # The survey letter (workflow.survey_delay is a second here) carries the signed link.
        pattern = re.compile(rf'({re.escape(self.daemon.url)}/survey/{re.escape(number)}/[A-Za-z0-9_-]+)')

        def survey_link():
            for _, message in self.daemon.letters():
                body = message.get_body(preferencelist=('plain',))
                found = pattern.search(body.get_content()) if body is not None else None
                if found:
                    return found.group(1)
            return None
        link = rw.wait_until(survey_link, timeout=30, what='the survey letter')

        # The status page of a closed complaint: every stage done, the customer's action listed.
        driver.get(self.status_link_from_letters(number))
        self.assertEqual(self.find('ol.stages li[aria-current=step]', driver=driver), [])
        self.assertIn('Send the red one', self.wait('ul.actions', driver=driver).text)
        self.assertNotIn('Check colours', driver.page_source)

        driver.get(link)
        self.assertIn(number, self.wait('main h1', driver=driver).text)
        self.assertEqual(len(self.find('input[type=radio][name=score]', driver=driver)), 5)
        self.shots_at_both_widths(driver, 'customer-survey')
        self.assertEqual(self.ticket(number)['ratings'], [], 'opening the survey counted as a rating')
        self.wait('textarea#comment', driver=driver).send_keys('Quick & kind <b>thanks</b>')
        self.wait('label[for=score-4]', driver=driver).click()
        self.wait('form button[type=submit]', driver=driver).click()
        self.assertIn('recorded', self.wait('main', driver=driver).text)
        self.shots_at_both_widths(driver, 'customer-survey-thanks')
        ratings = self.ticket(number)['ratings']
        self.assertEqual(len(ratings), 1, ratings)
        self.assertEqual((ratings[0]['score'], ratings[0]['source'], ratings[0]['comment']),
                         (4, 'link', 'Quick & kind <b>thanks</b>'))

    def test_06_long_address_on_the_thanks_page_at_360_pixels(self):
        # The thanks page writes the visitor's email address as text; an address wider than the
        # screen must wrap, not make the page scroll sideways at 360 px (web/customer/customer.css).
        driver = self.browser.driver
        issued = self.open_form(driver)
        address = 'konstantin.konstantinopolsky@kettleshop.example'
        form = self.fill_form(driver, 'Konstantin Konstantinopolsky', address, '',
                              f'The kettle never arrived. I complain. {time.time_ns()}')
        self.past_min_fill(issued)
        self.send(driver, form)
        self.thanks(driver)
        self.assertIn(address, self.wait('main', driver=driver).text)
        try:
            driver.set_window_size(*NARROW)
            overflow = 'return document.documentElement.scrollWidth - document.documentElement.clientWidth'
            sideways = driver.execute_script(overflow)
            driver.save_screenshot(str(self.shots / 'customer-thanks-long-address-360.png'))
        finally:
            driver.set_window_size(*WIDE)
        self.assertLessEqual(sideways, 0, 'a long address makes the thanks page scroll sideways at 360 px')

if __name__ == '__main__':
    unittest.main(verbosity=2)
