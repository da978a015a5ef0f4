"""The Reports view of the staff page in headless Chromium against a real `redress serve`: a manager
opens it, the figures and the SVG charts are drawn from the API's summary (the bars add up to the
tickets counted, one bar per day of the period), the recurring problem of the dropped complaints is
listed with links to its tickets, an agent has no Reports link and the API refuses them, and the
page raises no console errors.

Run by ctest (label "browser"); screenshots go to $REDRESS_SCREENSHOTS.
"""

import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import redress_web as rw  # noqa: E402

MANAGER, AGENT = 'maria', 'ann'
PASSWORDS = {MANAGER: 'the manager long password', AGENT: 'the agent long password'}


class ReportsPage(rw.DaemonAndBrowsers, rw.PageHelpers, unittest.TestCase):
    passwords = PASSWORDS
    scratch_prefix = 'redress-reports-web-'
    users = {'olga': ('owner', 'the owner long password'), MANAGER: ('manager', PASSWORDS[MANAGER]),
             AGENT: ('agent', PASSWORDS[AGENT])}

    @classmethod
    def before_start(cls):
        cls.manager_token = cls.daemon.token(MANAGER)
        cls.agent_token = cls.daemon.token(AGENT)

    @classmethod
    def after_start(cls):
        # Four complaints about one problem and one about another: a recurring group of four.
        cls.subjects = []
        for i in range(4):
            subject = f'Kettle lid cracked {time.time_ns()}'
            cls.subjects.append(subject)
            cls.daemon.drop(subject, 'Hello,\n\nThe kettle lid cracked after two days. I am disappointed and '
                                     'want a replacement.\n\nOlga\n', name=f'Olga {i}')
        cls.daemon.drop(f'Courier rude {time.time_ns()}', 'The courier was rude to me at the door. I complain.\n')
        for subject in cls.subjects:
            cls.daemon.ticket_by_subject(cls.manager_token, subject)

    def test_01_a_manager_opens_the_charts(self):
        self.sign_in(MANAGER)
        self.find('.top nav a[href="#/reports"]')[0].click()
        self.wait_for(lambda: self.find('svg.chart[data-chart=volume] rect.bar'), what='the volume chart')
        status, summary = self.daemon.api('GET', '/reports/summary', self.manager_token)
        self.assertEqual(status, 200)
        self.assertEqual(summary['tickets'], 5)

        # One bar per day of the 30-day period, adding up to the tickets counted.
        bars = self.find('svg.chart[data-chart=volume] rect.bar')
        self.assertEqual(len(bars), 30)
        self.assertEqual(sum(int(b.get_attribute('data-value')) for b in bars), summary['tickets'])
        self.assertEqual(bars[-1].get_attribute('data-value'), '5')  # all came in today
        self.assertGreater(float(bars[-1].get_attribute('height')), 0)
        tickets_figure = self.find('.figures [data-figure=tickets] dd')[0].text
        self.assertEqual(tickets_figure, '5')
        # The distributions: kinds add up too; ratings are drawn even when none came yet.
        kinds = self.find('svg.chart[data-chart=kinds] rect.bar')
        self.assertEqual(sum(int(b.get_attribute('data-value')) for b in kinds), 5)
        self.assertEqual(len(self.find('svg.chart[data-chart=satisfaction] rect.bar')), 5)
        for chart in self.find('svg.chart'):
            self.assertEqual(chart.get_attribute('role'), 'img')
            self.assertTrue(chart.get_attribute('aria-label'))

        # The recurring problem, with a link to each of its tickets.
        rows = self.find('table[data-table=recurring] tbody tr')
        kettle = next((r for r in rows if 'kettle' in r.text.lower()), None)
        self.assertIsNotNone(kettle, [r.text for r in rows])
        self.assertIn('4', kettle.text)
        links = kettle.find_elements('css selector', 'a')
        self.assertEqual(len(links), 4)
        csv = self.find('a[download="tickets.csv"]')[0].get_attribute('href')
        self.assertIn('/api/v1/reports/tickets.csv', csv)
        self.driver.save_screenshot(str(self.shots / 'reports.png'))

        # A filter narrows the figures: no German tickets.
        from selenium.webdriver.support.ui import Select
        Select(self.find('form.filters select[name=language]')[0]).select_by_value('de')
        self.wait_for(lambda: self.find('.figures [data-figure=tickets] dd')[0].text == '0', what='the filtered figures')
        # No script error (the 401 of /me before signing in is the sign-in page's own question).
        errors = [e for e in self.browser.collect_console()
                  if e.get('level') == 'SEVERE' and '/api/v1/me' not in e.get('message', '')]
        self.assertFalse(errors)

        Select(self.find('form.filters select[name=language]')[0]).select_by_value('')
        self.wait_for(lambda: self.find('.figures [data-figure=tickets] dd')[0].text == '5', what='the figures again')
        first = self.find('table[data-table=recurring] tbody tr a')[0]
        number = first.text
        first.click()
        self.wait_for(lambda: number in self.find('main h1')[0].text, what=f'ticket {number}')

    def test_02_an_agent_has_no_reports(self):
        self.sign_in(AGENT)
        self.assertFalse(self.find('.top nav a[href="#/reports"]'))
        status, _ = self.daemon.api('GET', '/reports/summary', self.agent_token)
        self.assertEqual(status, 403)


if __name__ == '__main__':
    unittest.main(verbosity=2)
