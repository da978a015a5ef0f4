"""The staff page in headless Chromium against a real `redress serve`: sign-in, the inbox with a
dropped complaint appearing without a reload and its countdown, a complaint worked from take to
sign-off with the apology previewed and edited, a template saved with a mistake (shown beside its
line, nothing saved) and then correctly (the next letter uses it), a hostile subject that stays
text, an agent without the sign-off button whom the API refuses anyway, the setup link and the
owner's people page, the language switch, a 360 px screen, and the page's files and headers.

Run by ctest (label "browser"); screenshots of each page go to $REDRESS_SCREENSHOTS.
"""

import re
import socket
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import redress_web as rw  # noqa: E402

OWNER, MANAGER, AGENT = 'olga', 'maria', 'ann'
PASSWORDS = {OWNER: 'the owner long password', MANAGER: 'the manager long password', AGENT: 'the agent long password'}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class StaffPage(rw.DaemonAndBrowsers, rw.PageHelpers, unittest.TestCase):
    passwords = PASSWORDS
    users = {OWNER: ('owner', PASSWORDS[OWNER]), MANAGER: ('manager', PASSWORDS[MANAGER]),
             AGENT: ('agent', PASSWORDS[AGENT])}

    @classmethod
    def before_start(cls):
        cls.manager_token = cls.daemon.token(MANAGER)

    @classmethod
    def check_log(cls, log):
        for name, password in PASSWORDS.items():
            assert password not in log, f'the password of {name} is in the log'

    # ---- helpers

    def text_of(self, css):
        return self.wait(css).text

    def shot(self, name, at=None, full=False):
        """A screenshot of the page as it is, scrolled to `at` (a CSS selector) or the whole page."""
        size = self.driver.get_window_size()
        try:
            if at:
                self.driver.execute_script("document.querySelector(arguments[0]).scrollIntoView({block: 'start'})", at)
            if full:
                height = self.driver.execute_script('return Math.min(4000, document.documentElement.scrollHeight)')
                self.driver.set_window_size(size['width'], max(size['height'], height + 120))
            self.driver.save_screenshot(str(self.shots / f'{name}.png'))
        finally:
            if full:
                self.driver.set_window_size(size['width'], size['height'])

    def open_ticket(self, number):
        self.driver.get(f'{self.daemon.url}/#/tickets/{number}')
        self.wait_for(lambda: number in self.text_of('main h1'), what=f'ticket {number}')

    def click_step(self, step):
        self.wait(f'button[data-step="{step}"]').click()
        return self.wait(f'form.step-form[data-step="{step}"]')

    def send_keys_to(self, form, css, text):
        from selenium.webdriver.common.by import By
        field = form.find_element(By.CSS_SELECTOR, css)
        field.clear()
        field.send_keys(text)

    def wait_done(self):
        self.wait_for(lambda: any('Done' in n.text for n in self.find('.notice.ok')), what='the step to be taken')

    def no_alert(self):
        from selenium.common.exceptions import NoAlertPresentException
        try:
            alert = self.driver.switch_to.alert
        except NoAlertPresentException:
            return True
        text = alert.text
        alert.dismiss()
        self.fail(f'the page showed an alert: {text!r}')

    def api(self, method, path, body=None, token=None):
        return self.daemon.api(method, path, token or self.manager_token, body)

    # ---- the tests, in order

    def test_01_sign_in_wrong_then_right_then_out(self):
        self.fresh_page()
        self.assertEqual(self.text_of('main h1'), 'Sign in')
        self.shot('sign-in')
        self.sign_in(MANAGER, 'not the password', expect_inbox=False)
        self.assertIn('wrong', self.text_of('.notice.error'))
        self.wait('form input[name=password]').send_keys(PASSWORDS[MANAGER])
        self.wait('form button[type=submit]').click()
        self.wait('table.tickets')
        self.assertIn(MANAGER, self.text_of('.top .user'))
        # The role decides which links exist: a manager has no people page.
        self.assertFalse(self.find('.top nav a[href="#/people"]'))
        self.wait('.top button.quiet').click()
        self.wait_for(lambda: self.text_of('main h1') == 'Sign in', what='the sign-in form')
        status, _ = self.daemon.api('GET', '/me', 'rdt_not-a-token')
        self.assertEqual(status, 401)

    def test_02_dropped_complaint_appears_without_reload_with_countdown(self):
        self.sign_in(MANAGER)
        self.driver.execute_script('window.redressMarker = 42')
        subject = f'Kettle arrived broken {time.time_ns()}'
        self.daemon.drop(subject, 'Hello,\n\nThe kettle I ordered arrived broken and nobody answers the phone.\n'
                                  'I am very disappointed. I want a replacement.\n\nOlga')
        row = self.wait_for(lambda: next((r for r in self.find('table.tickets tbody tr') if subject in r.text), None),
                            timeout=20, what='the dropped complaint in the inbox')
        self.assertEqual(self.driver.execute_script('return window.redressMarker'), 42, 'the page was reloaded')
        countdown = row.find_element('css selector', '.countdown')
        self.assertRegex(countdown.text, r'left$')
        self.assertEqual(countdown.get_attribute('data-state'), 'ok')
        first = int(countdown.get_attribute('data-seconds-left'))
        self.wait_for(lambda: int(countdown.get_attribute('data-seconds-left')) < first, timeout=5,
                      what='the countdown to run')
        self.assertIn('complaint', row.text)

        # A major complaint stands out; a question due in 20 seconds turns amber, then red.
        major = f'Heater caught fire {time.time_ns()}'
        self.daemon.drop(major, 'Your heater caught fire in my kitchen. This is dangerous and unacceptable.\n'
                                'I demand a full refund. My lawyer is preparing a claim and I will take you to court.\n')
        question = f'How do I descale the kettle? {time.time_ns()}'
        self.daemon.drop(question, 'Hello, how do I descale the kettle? Is it possible to use vinegar?\n')
        major_row = self.wait_for(lambda: next((r for r in self.find('table.tickets tbody tr') if major in r.text), None),
                                  timeout=20, what='the major complaint')
        self.assertIn('major', major_row.get_attribute('class'))
        self.assertTrue(major_row.find_elements('css selector', '.badge.severity-major'))
        question_row = self.wait_for(lambda: next((r for r in self.find('table.tickets tbody tr') if question in r.text),
                                                  None), timeout=20, what='the question')
        # Nearest deadline first: the question (20 seconds) leads the list.
        self.assertIn(question, self.find('table.tickets tbody tr')[0].text)
        self.assertEqual(question_row.find_element('css selector', '.countdown').get_attribute('data-state'), 'near')
        self.shot('inbox')
        self.wait_for(lambda: any(c.get_attribute('data-state') == 'over' and question in r.text
                                  for r in self.find('table.tickets tbody tr')
                                  for c in r.find_elements('css selector', '.countdown')),
                      timeout=40, what='the question to be overdue')
        over = next(r for r in self.find('table.tickets tbody tr') if question in r.text)
        self.assertIn('overdue by', over.find_element('css selector', '.countdown').text)

        # The search box also searches the text of messages, letters and notes (GET /search): another
        # form of a word finds it, and the words as written are marked.
        from selenium.webdriver.common.keys import Keys
        box = self.wait('form.filters input[name="q"]')
        box.send_keys('disappointed replacements')
        hit = self.wait_for(lambda: next((li for li in self.find('.found-list li') if subject in li.text
                                          or 'replacement' in li.text), None),
                            timeout=15, what='the full-text result')
        self.assertIn('replacement', [m.text for m in hit.find_elements('css selector', 'mark')])
        self.assertTrue(hit.find_elements('css selector', 'a.number'))
        self.shot('inbox-search', at='.found')
        box.send_keys(Keys.CONTROL, 'a')
        box.send_keys(Keys.BACKSPACE)
        self.wait_for(lambda: not self.find('.found-list li'), timeout=10, what='the full-text results to go')

    def test_03_work_a_complaint_from_take_to_sign_off(self):
        subject = f'Чайник пришёл разбитым {time.time_ns()}'
        self.daemon.drop(subject, 'Здравствуйте!\n\nЧайник, который я заказала, пришёл разбитым. Это безобразие, '
                                  'я очень недовольна. Прошу заменить.\n\nОльга Петрова\n', name='Ольга Петрова')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        self.sign_in(MANAGER)
        self.open_ticket(number)
        self.assertFalse(self.find('button[data-step="verdict"]'), 'a verdict before the ticket is taken')
        form = self.click_step('take')
        form.find_element('css selector', 'button[type=submit]').click()
        self.wait_done()

        form = self.click_step('verdict')
        self.send_keys_to(form, 'textarea[name=reason]', 'The courier dropped the parcel.')
        form.find_element('css selector', 'button[type=submit]').click()
        body = self.wait('form.letter-draft textarea[name=letter_body]')
        # The apology, rendered in the customer's language, before anything is sent.
        self.assertIn('Приносим извинения', self.wait('form.letter-draft .letter-head').text)
        self.assertIn(number, body.get_attribute('value'))
        self.shot('letter-preview', at='form.letter-draft')
        edit = f'Доставку мы тоже вернём. EDIT-{time.time_ns()}'
        body.send_keys('\n' + edit)
        self.wait('form.letter-draft button[type=submit]').click()
        self.wait_done()
        letter = self.daemon.letter_with(edit)
        self.assertIn(number, letter['Subject'])
        self.assertIn('извинения', letter.get_body(preferencelist=('plain',)).get_content())

        for target, text in (('customer', 'Новый чайник курьером'), ('process', 'Упаковывать чайники в две коробки')):
            form = self.click_step('actions')
            from selenium.webdriver.support.ui import Select
            Select(form.find_element('css selector', 'select[name=for]')).select_by_value(target)
            self.send_keys_to(form, 'textarea[name=text]', text)
            form.find_element('css selector', 'button[type=submit]').click()
            self.wait_done()
        self.wait_for(lambda: next(li for li in self.find('.actions li.action') if 'Новый чайник' in li.text)
                      .find_element('css selector', 'button').click() or True, what='the customer action')
        self.wait_for(lambda: any(li.get_attribute('data-state') == 'done' for li in self.find('.actions li.action')),
                      what='the action to be done')

        form = self.click_step('resolve')
        self.send_keys_to(form, 'textarea[name=summary]', 'Новый чайник доставлен.')
        form.find_element('css selector', 'button[type=submit]').click()
        self.wait('form.letter-draft textarea[name=letter_body]')
        self.wait('form.letter-draft button[type=submit]').click()
        self.wait_done()

        form = self.click_step('signoff')
        form.find_element('css selector', 'button[type=submit]').click()
        self.wait('form.letter-draft textarea[name=letter_body]')
        self.wait('form.letter-draft button[type=submit]').click()
        self.wait_done()
        self.wait_for(lambda: self.text_of('.facts .badge.status-closed'), what='the ticket to be closed')
        self.assertEqual(self.api('GET', f'/tickets/{number}')[1]['resolution_code'], 'FIXED')
        # The thread shows our letters with their delivery state, in order after the customer's message.
        kinds = [li.get_attribute('class') for li in self.find('.thread-items > li')]
        self.assertIn('from-customer', kinds[0])
        self.wait_for(lambda: any(li.get_attribute('data-template') == 'apology' for li in self.find('.thread-items > li')),
                      what='the apology in the thread')
        self.driver.execute_script('window.scrollTo(0, 0)')
        self.shot('ticket')
        self.shot('ticket-full', full=True)

    def test_04_template_with_a_mistake_then_correct(self):
        self.sign_in(MANAGER)
        self.driver.get(self.daemon.url + '/#/templates')
        self.wait('table.template-grid a[href="#/templates/en/acknowledgement"]')
        self.shot('templates')
        self.driver.get(self.daemon.url + '/#/templates/en/acknowledgement')
        area = self.wait('textarea[name=template_text]')
        self.wait_for(lambda: area.get_attribute('value').startswith('Subject:'), what='the template text')
        original = area.get_attribute('value')
        lines = original.split('\n')
        broken = '\n'.join(lines[:3] + ['Dear {{customer.nmae}},'] + lines[3:])
        self.set_text(area, broken)
        self.wait('button[data-action=save]').click()
        # The live preview redraws the list as it checks too: read it whole, once.
        problem = self.wait_for(lambda: self.find('.problems li.problem')[0].text, what='the problem')
        self.assertIn('Line 4', problem)
        self.assertIn('customer.nmae', problem)
        self.assertIn('customer.name', problem.replace('customer.nmae', ''), 'the suggestion')
        self.assertEqual(self.wait_for(lambda: [b.get_attribute('data-line') for b in self.find('.gutter .bad')],
                                       what='the marked line'), ['4'], 'the line is marked beside the text')
        self.assertIn('Not saved', self.text_of('.notice.error'))
        self.shot('template-error', at='main h1')
        self.assertEqual(self.api('GET', '/templates/en/acknowledgement/versions')[1]['versions'], [])

        marker = f'ACK-MARK-{time.time_ns()}'
        fixed = '\n'.join(lines[:3] + [f'{marker}: we read every letter ourselves.', ''] + lines[3:])
        self.set_text(area, fixed)
        self.wait_for(lambda: not self.find('.problems li.problem'), what='the problems to go')
        self.wait('button[data-action=save]').click()
        self.wait_for(lambda: 'Saved as version 1' in self.text_of('.notice.ok'), what='the save')
        self.wait_for(lambda: marker in self.text_of('.preview'), what='the live preview')
        self.assertEqual([v['version'] for v in self.api('GET', '/templates/en/acknowledgement/versions')[1]['versions']],
                         [1])
        self.shot('template-editor')
        # The next letter uses it, at once.
        self.daemon.drop(f'Broken lid {time.time_ns()}', 'The lid of my kettle is broken. Terrible quality.\n')
        self.assertIn(marker, self.daemon.letter_with(marker).get_body(preferencelist=('plain',)).get_content())
        # Restoring the shipped file (version 0) saves it as version 2.
        self.wait('button[data-restore="0"]').click()
        self.wait_for(lambda: 'Version 0 is in use again' in self.text_of('.notice.ok'), what='the restore')
        state = self.api('GET', '/templates/en/acknowledgement')[1]
        self.assertEqual(state['version'], 2)
        self.assertEqual(state['text'], original)

    def set_text(self, area, text):
        self.driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", area, text)

    def test_05_a_hostile_subject_stays_text(self):
        subject = '<img src=x onerror=alert(1)>'
        self.daemon.drop(subject, '<script>alert(2)</script>\nThe kettle is broken. <b>Terrible</b> service.\n')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        self.sign_in(MANAGER)
        row = self.wait_for(lambda: next((r for r in self.find('table.tickets tbody tr') if number in r.text), None),
                            what='the ticket in the inbox')
        self.assertEqual(row.find_element('css selector', '.subject').text, subject)
        self.assertFalse(self.find('main img'), 'the subject became an image')
        self.open_ticket(number)
        self.assertEqual(self.text_of('main h1 .subject'), subject)
        self.assertIn('<script>alert(2)</script>', self.text_of('.thread .from-customer .text'))
        self.assertFalse(self.find('main img') or self.find('main script') or self.find('main b'))
        time.sleep(0.5)
        self.no_alert()

    def test_06_an_agent_has_no_sign_off_and_the_api_refuses_it(self):
        subject = f'Wrong colour delivered {time.time_ns()}'
        self.daemon.drop(subject, 'I ordered a red kettle and got a green one. Unacceptable, I complain.\n')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        for step, body in (('take', {}), ('verdict', {'verdict': 'justified', 'reason': 'Wrong item picked'}),
                           ('actions', {'for': 'customer', 'text': 'Send the red one', 'responsible': MANAGER,
                                        'due': '2099-01-01'}),
                           ('actions', {'for': 'process', 'text': 'Check colours', 'responsible': MANAGER,
                                        'due': '2099-01-01'})):
            status, answer = self.api('POST', f'/tickets/{number}/{step}', body)
            self.assertEqual(status, 200, answer)
        action = next(a for a in self.api('GET', f'/tickets/{number}')[1]['actions'] if a['for'] == 'customer')
        self.assertEqual(self.api('POST', f'/tickets/{number}/actions/{action["id"]}', {'state': 'done'})[0], 200)
        status, answer = self.api('POST', f'/tickets/{number}/resolve', {'summary': 'The red one arrived.'})
        self.assertEqual(status, 200, answer)

        self.sign_in(AGENT)
        self.open_ticket(number)
        self.wait('button[data-step="reopen"]')
        self.assertFalse(self.find('button[data-step="signoff"]'), 'an agent sees the sign-off button')
        self.assertFalse(self.find('.top nav a[href="#/people"]'))
        self.shot('ticket-agent')
        refused = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            (async () => {
              const me = await (await fetch('/api/v1/me')).json();
              const headers = {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token};
              const url = '/api/v1/tickets/' + arguments[0] + '/signoff';
              const withToken = await fetch(url, {method: 'POST', headers, body: '{"code": "FIXED"}'});
              const without = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'},
                                                body: '{"code": "FIXED"}'});
              return [withToken.status, (await withToken.json()).error, without.status, (await without.json()).error];
            })().then(done, (e) => done(String(e)));""", number)
        self.assertEqual(refused, [403, 'workflow.role', 403, 'auth.csrf'])
        self.assertEqual(self.api('GET', f'/tickets/{number}')[1]['status'], 'resolved')

    def test_06b_correct_the_kind_a_question_that_is_a_major_complaint(self):
        subject = f'Delivery to Minsk {time.time_ns()}'
        self.daemon.drop(subject, 'Hello, do you deliver to Minsk and how long does it take?\n')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        self.assertEqual(self.api('GET', f'/tickets/{number}')[1]['kind'], 'question')
        self.sign_in(AGENT)
        self.open_ticket(number)
        form = self.click_step('reclassify')
        from selenium.webdriver.support.ui import Select
        Select(form.find_element('css selector', 'select[name=kind]')).select_by_value('complaint')
        Select(form.find_element('css selector', 'select[name=severity]')).select_by_value('major')
        self.send_keys_to(form, 'textarea[name=reason]', 'The refund she asks for is further down.')
        form.find_element('css selector', 'button[type=submit]').click()
        self.wait_done()
        self.wait_for(lambda: self.find('.facts .badge.severity-major'), what='the ticket to show MAJOR')
        ticket = self.api('GET', f'/tickets/{number}')[1]
        self.assertEqual((ticket['kind'], ticket['severity']), ('complaint', 'major'))
        row = next(a for a in ticket['audit'] if a['action'] == 'ticket.reclassified')
        self.assertEqual(row['actor'], AGENT)

    def test_07_setup_link_then_the_owner_adds_a_person(self):
        fresh = rw.Daemon(self.scratch.path / 'fresh').start()
        try:
            link = rw.wait_until(lambda: re.search(r'(http://127\.0\.0\.1:\d+/#setup=([A-Za-z0-9_-]+))', fresh.log()),
                                 what='the setup link')
            self.driver.get(fresh.url + '/')
            self.driver.delete_all_cookies()
            self.driver.execute_script('localStorage.clear()')
            self.driver.get(link.group(1))
            self.wait_for(lambda: 'owner' in self.text_of('main h1'), what='the setup form')
            self.shot('setup')
            form = self.wait('main form')
            self.send_keys_to(form, 'input[name=name]', 'olga')
            self.send_keys_to(form, 'input[name=display_name]', 'Olga Owner')
            self.send_keys_to(form, 'input[name=password]', 'a long owner password')
            self.send_keys_to(form, 'input[name=password_again]', 'a long owner password')
            form.find_element('css selector', 'button[type=submit]').click()
            self.wait('table.tickets')
            self.assertNotIn('setup', self.driver.current_url, 'the spent link stays in the address bar')
            # Used once: the same token makes nobody else.
            status, answer = self.post_json(fresh.url + '/api/v1/setup', {'token': link.group(2), 'name': 'mallory',
                                                                            'password': 'another long password'})
            self.assertEqual((status, answer['error']), (403, 'setup.token'))

            self.wait('.top nav a[href="#/people"]').click()
            form = self.wait('form.add-person')
            self.send_keys_to(form, 'input[name=name]', 'ivan')
            self.send_keys_to(form, 'input[name=display_name]', 'Ivan Petrov')
            self.send_keys_to(form, 'input[name=email]', 'ivan@shop.test')
            self.send_keys_to(form, 'input[name=password]', 'ivan long password')
            form.find_element('css selector', 'button[type=submit]').click()
            row = self.wait('tr[data-person="ivan"]')
            self.assertIn('Ivan Petrov', row.text)
            row.find_element('css selector', 'button[data-toggle="tokens"]').click()
            token_form = self.wait('tr[data-person="ivan"] .tokens form')
            self.send_keys_to(token_form, 'input[name=label]', 'laptop')
            token_form.find_element('css selector', 'button[type=submit]').click()
            token = self.wait('tr[data-person="ivan"] .token-once code.secret').text
            self.assertTrue(token.startswith('rdt_'))
            self.assertEqual(fresh.api('GET', '/me', token)[1]['name'], 'ivan')
            self.shot('people')
            # The owner sets Ivan's password; he signs in with it.
            self.wait('tr[data-person="ivan"] button[data-toggle="password"]').click()
            password_form = self.wait('tr[data-person="ivan"] input[name=new_password]')
            password_form.send_keys('ivan new long password')
            password_form.submit()
            self.wait_for(lambda: 'The password of ivan is set' in self.text_of('.notice.ok'), what='the password to be set')
            status, answer = self.post_json(fresh.url + '/api/v1/session', {'name': 'ivan',
                                                                              'password': 'ivan new long password'})
            self.assertEqual((status, answer['user']['role']), (200, 'agent'))
        finally:
            code = fresh.stop()
        self.assertEqual(code, 0, fresh.log()[-2000:])
        self.assertNotIn('a long owner password', fresh.log())

    def post_json(self, url, body):
        import json
        import urllib.error
        import urllib.request
        request = urllib.request.Request(url, data=json.dumps(body).encode(), method='POST',
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b'null')
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b'null')

    def test_08_language_from_the_browser_and_the_switch(self):
        from selenium.webdriver.support.ui import Select
        self.sign_in(MANAGER)
        self.assertEqual(self.text_of('main h1'), 'Inbox')
        Select(self.wait('.top select.language')).select_by_value('ru')
        self.wait_for(lambda: self.text_of('main h1') == 'Входящие', what='the Russian inbox')
        self.shot('inbox-ru')
        self.driver.refresh()
        self.wait_for(lambda: self.text_of('main h1') == 'Входящие', what='the remembered language')
        self.assertEqual(self.driver.execute_script('return document.documentElement.lang'), 'ru')
        missing = self.driver.execute_async_script(
            "import('/js/i18n.js').then((m) => arguments[0](m.missingKeys()), (e) => arguments[0](String(e)))")
        self.assertEqual(missing, [])
        Select(self.wait('.top select.language')).select_by_value('en')
        self.wait_for(lambda: self.text_of('main h1') == 'Inbox', what='English again')
        # A browser that prefers Russian gets Russian without the switch.
        russian = rw.Browser(self.scratch.path, language='ru')
        try:
            russian.driver.get(self.daemon.url + '/')
            from selenium.webdriver.support.ui import WebDriverWait
            WebDriverWait(russian.driver, 15).until(
                lambda d: d.find_element('css selector', 'main h1').text == 'Вход')
        finally:
            russian.quit()

    def test_09_readable_at_360_pixels(self):
        subject = f'Narrow screen complaint {time.time_ns()}'
        self.daemon.drop(subject, 'The kettle is broken and the support is useless. I complain.\n')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        self.sign_in(MANAGER)
        self.driver.set_window_size(360, 800)
        try:
            width = self.driver.execute_script('return window.innerWidth')
            self.assertLessEqual(width, 360)
            self.wait_for(lambda: any(subject in r.text for r in self.find('table.tickets tbody tr')), what='the row')
            overflow = 'return document.documentElement.scrollWidth - document.documentElement.clientWidth'
            self.assertLessEqual(self.driver.execute_script(overflow), 0, 'the inbox scrolls sideways at 360 px')
            self.shot('inbox-360', at='table.tickets')
            self.open_ticket(number)
            self.wait('button[data-step="take"]')
            self.assertLessEqual(self.driver.execute_script(overflow), 0, 'the ticket scrolls sideways at 360 px')
            self.shot('ticket-360')
            # Keyboard: Tab reaches the steps, Enter takes one.
            from selenium.webdriver.common.keys import Keys
            take = self.wait('button[data-step="take"]')
            body = self.driver.find_element('css selector', 'body')
            for _ in range(60):
                if self.driver.switch_to.active_element == take:
                    break
                body.send_keys(Keys.TAB) if self.driver.switch_to.active_element.tag_name == 'body' else \
                    self.driver.switch_to.active_element.send_keys(Keys.TAB)
            self.assertEqual(self.driver.switch_to.active_element, take, 'Tab never reached the Take button')
            take.send_keys(Keys.ENTER)
            self.wait('form.step-form[data-step="take"]')
            self.driver.switch_to.active_element.send_keys(Keys.ENTER)
            self.wait_done()
        finally:
            self.driver.set_window_size(1280, 900)

    def test_10_files_headers_and_no_way_out_of_the_folder(self):
        status, headers, body = raw_get(self.daemon.port, '/')
        self.assertEqual(status, 200)
        self.assertTrue(headers['content-type'].startswith('text/html'))
        self.assertEqual(headers['content-security-policy'], CSP)
        self.assertEqual(headers['x-content-type-options'], 'nosniff')
        self.assertIn(b'/js/app.js', body)
        for path, kind in (('/js/app.js', 'text/javascript'), ('/app.css', 'text/css'), ('/favicon.svg', 'image/svg+xml'),
                           ('/tickets/RD-000001', 'text/html')):
            status, headers, _ = raw_get(self.daemon.port, path)
            self.assertEqual(status, 200, path)
            self.assertTrue(headers['content-type'].startswith(kind), (path, headers['content-type']))
        status, headers, _ = raw_get(self.daemon.port, '/app.css')
        again, _, body = raw_get(self.daemon.port, '/app.css', {'If-None-Match': headers['etag']})
        self.assertEqual((again, body), (304, b''))
        for path in ('/../CMakeLists.txt', '/js/../../CMakeLists.txt', '/%2e%2e/CMakeLists.txt',
                     '/js/%2e%2e/%2e%2e/CMakeLists.txt', '/..%2fCMakeLists.txt', '/js/..%2f..%2fdocs/api.md',
                     '/%2fetc%2fpasswd', '/web/index.html', '/README.md', '/js/', '/.git/config'):
            status, _, body = raw_get(self.daemon.port, path)
            self.assertIn(status, (400, 404), path)
            self.assertNotIn(b'cmake_minimum_required', body, path)
            self.assertNotIn(b'root:', body, path)

    def test_12_the_customer_across_tickets_and_the_customer_view(self):
        self.sign_in(MANAGER)
        address = f'anna.{time.time_ns()}@example.org'
        first = f'Kettle broken {time.time_ns()}'
        self.daemon.drop(first, 'Hello,\n\nThe kettle arrived broken. I want a replacement.\n', name='Anna Lee',
                         address=address)
        first_number = self.daemon.ticket_by_subject(self.manager_token, first)['number']
        second = f'Courier late {time.time_ns()}'
        self.daemon.drop(second, 'Hello,\n\nThe courier was late again, the parcel is damaged. Call me on '
                                 '+7 912 345-67-89.\n', name='Anna Lee', address=address.upper())
        second_number = self.daemon.ticket_by_subject(self.manager_token, second)['number']
        self.open_ticket(second_number)
        earlier = self.wait('section.earlier')
        self.assertIn(first_number, earlier.text)
        self.wait('a.customer-link').click()
        self.wait_for(lambda: 'Customer' in self.text_of('main h1'), what='the customer view')
        self.wait_for(lambda: address in self.text_of('main'), what='the verified address')
        rows = self.find('table.customer-tickets tbody tr')
        self.assertEqual(len(rows), 2)
        # The number in the text is a suggestion with an Accept button; accepting links it.
        accept = self.wait('button[data-suggestion]')
        self.assertIn('+79123456789', self.text_of('main'))
        self.shot('customer')
        accept.click()
        self.wait_for(lambda: not self.find('button[data-suggestion]'), what='the suggestion to be accepted')
        self.assertIn('staff:', self.text_of('main'))
        self.assertTrue(self.find('form.merge'), 'a manager sees the merge form')

    def test_12b_an_erased_customers_ticket_says_so(self):
        self.sign_in(MANAGER)
        subject = f'Erase me {time.time_ns()}'
        self.daemon.drop(subject, 'Hello,\n\nPlease delete my data after this.\n', name='Egor Gone',
                         address=f'egor.{time.time_ns()}@example.org')
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        self.open_ticket(number)
        self.assertFalse(self.find('p.erased'), 'not erased yet')
        status, ticket = self.daemon.api('GET', f'/tickets/{number}', self.manager_token)
        self.assertEqual(status, 200)
        self.assertIsNone(ticket['erased_at'])
        owner = self.daemon.token(OWNER, label='erase-test')
        status, body = self.daemon.api('POST', f"/customers/{ticket['customer']['id']}/erase", owner,
                                       {'reason': 'asked by letter'})
        self.assertEqual(status, 200, body)
        status, ticket = self.daemon.api('GET', f'/tickets/{number}', self.manager_token)
        self.assertTrue(ticket['erased_at'])
        self.open_ticket(number)
        line = self.wait('p.erased')
        self.assertIn('Personal data erased on', line.text)

    def test_10b_attachments_are_links_and_pictures_thumbnails(self):
        # A 1x1 GIF, and a page that would run a script if it were ever shown as one.
        gif = bytes.fromhex('47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b')
        page = b'<html><body><script>alert(3)</script></body></html>'
        subject = f'Photos of the broken kettle {time.time_ns()}'
        self.daemon.drop(subject, 'The kettle arrived broken, photos attached. I want a replacement.\n',
                         files=[('kettle.gif', 'image/gif', gif), ('receipt.html', 'text/html', page)])
        number = self.daemon.ticket_by_subject(self.manager_token, subject)['number']
        self.sign_in(MANAGER)
        self.open_ticket(number)
        links = self.wait_for(lambda: self.find('.thread .attachments a[download]') or None, what='the attachments')
        names = [a.text for a in self.find('.thread .attachments a[download]') if a.text]
        self.assertEqual(names, ['kettle.gif', 'receipt.html'])
        thumb = self.wait('.thread .attachments img.thumbnail')
        self.wait_for(lambda: self.driver.execute_script('return arguments[0].naturalWidth', thumb) == 1,
                      what='the thumbnail to load')
        self.assertEqual(len(self.find('.thread .attachments img.thumbnail')), 1, 'only the picture has a thumbnail')
        self.shot('attachments', at='.thread')
        # The page's link, fetched with the browser's session: a download of unknown type, never a page.
        href = next(a.get_attribute('href') for a in links if a.text == 'receipt.html')
        cookie = '; '.join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        path = href[href.index('/api/'):]
        status, headers, body = raw_get(self.daemon.port, path + '?inline=1', {'Cookie': cookie})
        self.assertEqual(status, 200)
        self.assertEqual(headers['content-type'], 'application/octet-stream')
        self.assertTrue(headers['content-disposition'].startswith('attachment;'), headers['content-disposition'])
        self.assertEqual(headers['x-content-type-options'], 'nosniff')
        self.assertEqual(body, page)
        status, _, _ = raw_get(self.daemon.port, path)
        self.assertEqual(status, 401)
        self.no_alert()

    def test_11_no_content_security_policy_violations(self):
        messages = [e['message'] for e in self.browser.collect_console() + self.browser.console]
        violations = [m for m in messages if 'Content Security Policy' in m or 'Refused to' in m]
        self.assertEqual(violations, [])


def raw_get(port, path, headers=None):
    """One GET written by hand, so that the path reaches the daemon exactly as written (no client
    tidies up "/../")."""
    lines = [f'GET {path} HTTP/1.1', f'Host: 127.0.0.1:{port}', 'Connection: close']
    lines += [f'{k}: {v}' for k, v in (headers or {}).items()]
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        s.sendall(('\r\n'.join(lines) + '\r\n\r\n').encode())
        data = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b'\r\n\r\n')
    status_line, *header_lines = head.decode('latin-1').split('\r\n')
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(':')
        parsed[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), parsed, body


if __name__ == '__main__':
    unittest.main(verbosity=2)
