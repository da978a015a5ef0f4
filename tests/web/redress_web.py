"""The browser tests' harness: a real `redress serve` on a temporary data folder (loopback, a port
the kernel picks, the drop folder in, the file outbox out), people made with the command line, and
headless Chromium driven through Debian's chromedriver. Everything started here is stopped by its
PID. A missing browser, driver or Selenium is a failure with the reason, never a skip.
"""

import email
import email.message
import email.utils
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = Path(os.environ.get('REDRESS_CHROMIUM', '/usr/bin/chromium'))
CHROMEDRIVER = Path(os.environ.get('REDRESS_CHROMEDRIVER', '/usr/bin/chromedriver'))
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update']


class Missing(AssertionError):
    """A prerequisite of the browser tests is not installed: the run fails and says how to get it."""


def require_browser():
    problems = []
    if not CHROMIUM.exists():
        problems.append(f'{CHROMIUM} is missing (Debian package chromium)')
    if not CHROMEDRIVER.exists():
        problems.append(f'{CHROMEDRIVER} is missing (Debian package chromium-driver)')
    try:
        import selenium  # noqa: F401
    except ImportError:
        problems.append('Python module selenium is missing (Debian package python3-selenium; run the tests with '
                        '/usr/bin/python3)')
    # chromedriver talks to the browser at "localhost"; without /etc/hosts that name is asked of DNS.
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo('localhost', None, socket.AF_INET)}
    except OSError:
        addresses = set()
    if not addresses or not all(a.startswith('127.') for a in addresses):
        problems.append(f'the name localhost to mean this machine (it resolves to {sorted(addresses) or "nothing"}: '
                        'add "127.0.0.1 localhost" to /etc/hosts)')
    if problems:
        raise Missing('the browser tests need: ' + '; '.join(problems) + ' (scripts/setup --tests installs them)')


def binary():
    path = os.environ.get('REDRESS_BINARY')
    if not path:
        raise Missing('REDRESS_BINARY is not set: run the browser tests through ctest (or set it to build/redress)')
    return Path(path)


def wait_until(predicate, timeout=15.0, step=0.1, what='the condition'):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out after {timeout:.0f} s waiting for {what}')
        time.sleep(step)


def kill_by_pid(process, grace=10.0):
    """SIGTERM, then SIGKILL after `grace` seconds; returns the exit code."""
    if process.poll() is not None:
        return process.returncode
    os.kill(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        return process.wait(timeout=10)


def default_config():
    return {
        'company': {'name': 'Kettle Shop', 'support_address': 'Support <support@shop.test>'},
        'owner': {'name': 'Olga', 'email': 'owner@shop.test'},
        'http': {'listen': '127.0.0.1:0'},
        'workflow': {
            'survey_delay': 'PT1S',
            'resolution_codes': [{'code': 'FIXED', 'label': {'en': 'Fixed for the customer', 'ru': 'Исправлено'}}],
            'departments': [{'name': 'Delivery', 'categories': [{'name': 'Late'}, {'name': 'Damaged'}]}],
        },
        # Around the clock (no calendar). Questions have a first response due in 20 seconds, so a
        # test sees a countdown turn red without a test clock; complaints keep the usual times.
        'sla': {'policies': [
            {'name': 'major complaint', 'match': {'kind': 'complaint', 'severity': 'major'},
             'first_response': 'PT2H', 'resolution': 'P3D'},
            {'name': 'complaint', 'match': {'kind': 'complaint'}, 'first_response': 'PT4H', 'resolution': 'P10D'},
            {'name': 'quick question', 'match': {'kind': 'question'}, 'first_response': 'PT20S',
             'resolution': 'PT1H'},
        ]},
    }


class Daemon:
    """`redress serve` in a folder of its own, with its log (stdout and stderr) in daemon.log."""

    def __init__(self, root, config=None):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.data = self.root / 'data'
        self.config_file = self.root / 'redress.json'
        self.config_file.write_text(json.dumps(config if config is not None else default_config(), indent=2))
        self.log_file = self.root / 'daemon.log'
        self.process = None
        self.port = 0
        self.dropped = 0

    def cli(self, *args, stdin=None, check=True):
        done = subprocess.run([str(binary()), *args, '--data-dir', str(self.data), '--config', str(self.config_file)],
                              input=stdin, capture_output=True, text=True, timeout=60)
        if check and done.returncode != 0:
            raise AssertionError(f'redress {" ".join(args)} failed ({done.returncode}): {done.stdout}{done.stderr}')
        return done

    def add_user(self, name, role, password):
        self.cli('user', 'add', name, '--role', role, '--password-stdin', stdin=password + '\n')

    def token(self, name, label='browser-test'):
        out = self.cli('token', 'create', '--user', name, '--label', label).stdout.strip().splitlines()
        return out[-1].strip()

    def start(self):
        self.data.mkdir(parents=True, exist_ok=True)
        log = open(self.log_file, 'ab')
        self.process = subprocess.Popen([str(binary()), 'serve', '--data-dir', str(self.data),
                                         '--config', str(self.config_file)],
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        def listening():
            if self.process.poll() is not None:
                raise AssertionError('redress serve stopped at start:\n' + self.log())
            return re.search(r'http\.listening\b.*\bport=(\d+)', self.log())
        self.port = int(wait_until(listening, timeout=30, what='the daemon to listen').group(1))
        wait_until(lambda: 'daemon.ready' in self.log(), timeout=30, what='daemon.ready')
        return self

    def stop(self):
        if self.process is not None:
            code = kill_by_pid(self.process)
            self.process = None
            return code
        return None

    def log(self):
        try:
            return self.log_file.read_text(errors='replace')
        except FileNotFoundError:
            return ''

    @property
    def url(self):
        return f'http://127.0.0.1:{self.port}'

    # ---- mail in and letters out

    def drop(self, subject, body, name='Olga Petrova', address=None, files=()):
        """Drops one mail into the drop folder (written aside, then renamed in: the daemon never
        reads half a file) and returns its Message-ID. Each mail comes from an address of its own:
        the daemon acknowledges one address at most three times a day (`address` names one, for
        one customer writing twice). `files`: (name, type, bytes) attached in base64."""
        self.dropped += 1
        sender = f'{name} <{address or f"customer{self.dropped}.{time.time_ns()}@example.org"}>'
        message_id = f'web-test-{self.dropped}-{time.time_ns()}@example.org'
        msg = email.message.EmailMessage(policy=email.policy.SMTP)
        msg['From'] = sender
        msg['To'] = 'Support <support@shop.test>'
        msg['Subject'] = subject
        msg['Date'] = email.utils.formatdate(localtime=False)
        msg['Message-ID'] = f'<{message_id}>'
        msg.set_content(body)
        for file_name, file_type, data in files:
            maintype, _, subtype = file_type.partition('/')
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=file_name)
        inbox = self.data / 'inbox'
        inbox.mkdir(parents=True, exist_ok=True)
        temp = self.root / f'drop-{self.dropped}.tmp'
        temp.write_bytes(msg.as_bytes())
        os.rename(temp, inbox / f'web-{self.dropped}.eml')
        return message_id

    def letters(self):
        """Every letter in the file outbox, parsed: [(path, EmailMessage)]."""
        outbox = self.data / 'outbox'
        out = []
        for path in sorted(outbox.glob('*.eml')) if outbox.exists() else []:
            out.append((path, email.message_from_bytes(path.read_bytes(), policy=email.policy.default)))
        return out

    def letter_with(self, text, timeout=20):
        """The first letter whose decoded body contains `text` (waits for the outbox worker)."""
        def find():
            for path, message in self.letters():
                body = message.get_body(preferencelist=('plain',))
                if body is not None and text in body.get_content():
                    return message
            return None
        return wait_until(find, timeout=timeout, what=f'a letter containing {text!r} in the outbox')

    # ---- the API with a bearer token (for setting a ticket up, and to check what the page did)

    def api(self, method, path, token, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + '/api/v1' + path, data=data, method=method)
        request.add_header('Authorization', 'Bearer ' + token)
        if data is not None:
            request.add_header('Content-Type', 'application/json')
        for k, v in (headers or {}).items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text else None)

    def ticket_by_subject(self, token, subject, timeout=15):
        def find():
            status, body = self.api('GET', '/tickets?limit=100', token)
            if status != 200:
                return None
            for ticket in body['tickets']:
                if ticket['subject'] == subject:
                    return ticket
            return None
        return wait_until(find, timeout=timeout, what=f'a ticket with the subject {subject!r}')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Browser:
    """Headless Chromium through chromedriver, which this class starts and stops by PID."""

    def __init__(self, root, language='en-US', width=1280, height=900):
        require_browser()
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        self.root = Path(root)
        self.port = free_port()
        self.driver_log = self.root / f'chromedriver-{self.port}.log'
        self.driver_process = subprocess.Popen([str(CHROMEDRIVER), f'--port={self.port}', '--allowed-ips=127.0.0.1',
                                                f'--log-path={self.driver_log}'],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self._driver_ready(), timeout=20, what='chromedriver to listen')
        options = Options()
        options.binary_location = str(CHROMIUM)
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f'--window-size={width},{height}')
        options.add_argument(f'--lang={language}')
        options.add_argument(f'--user-data-dir={self.root / f"profile-{self.port}"}')
        options.add_experimental_option('prefs', {'intl.accept_languages': language})
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        try:
            self.driver = webdriver.Remote(command_executor=f'http://127.0.0.1:{self.port}', options=options)
        except Exception:
            kill_by_pid(self.driver_process)
            raise
        self.driver.set_script_timeout(30)
        self.console = []

    def _driver_ready(self):
        try:
            with urllib.request.urlopen(f'http://127.0.0.1:{self.port}/status', timeout=1) as r:
                return json.loads(r.read()).get('value', {}).get('ready')
        except OSError:
            return False

    def collect_console(self):
        """The browser's console since the last call (CSP violations show up here)."""
        entries = self.driver.get_log('browser')
        self.console.extend(entries)
        return entries

    def quit(self):
        try:
            self.driver.quit()
        except Exception:
            pass
        kill_by_pid(self.driver_process)


class Scratch:
    """A temporary folder, removed at the end unless REDRESS_KEEP_SCRATCH is set."""

    def __init__(self, prefix):
        self.path = Path(tempfile.mkdtemp(prefix=prefix))

    def remove(self):
        if not os.environ.get('REDRESS_KEEP_SCRATCH'):
            shutil.rmtree(self.path, ignore_errors=True)


class DaemonAndBrowsers:
    """The set-up the browser test classes share, before their unittest.TestCase: a scratch folder,
    the screenshots' folder (self.shots), a daemon with the class's `users` ({name: (role, password)})
    and config (`config()`), the class's browsers (`open_browsers()`; by default one Chromium as
    self.browser and self.driver), and at the end the browsers closed, the daemon stopped (it must
    stop cleanly) and its log checked (`check_log()`). `before_start()` runs the command line on the
    data folder before the daemon starts (tokens), `after_start()` once the browsers are open."""

    scratch_prefix = 'redress-web-'
    users = {}

    @classmethod
    def config(cls):
        return None

    @classmethod
    def before_start(cls):
        pass

    @classmethod
    def open_browsers(cls):
        cls.browser = cls.opened(Browser(cls.scratch.path))
        cls.driver = cls.browser.driver

    @classmethod
    def opened(cls, browser):
        """`browser`, to be closed at the end."""
        cls.browsers.append(browser)
        return browser

    @classmethod
    def after_start(cls):
        pass

    @classmethod
    def check_log(cls, log):
        pass

    @classmethod
    def setUpClass(cls):
        require_browser()
        cls.scratch = Scratch(cls.scratch_prefix)
        cls.shots = Path(os.environ.get('REDRESS_SCREENSHOTS', cls.scratch.path / 'screenshots'))
        cls.shots.mkdir(parents=True, exist_ok=True)
        cls.daemon = Daemon(cls.scratch.path / 'shop', cls.config())
        for name, (role, password) in cls.users.items():
            cls.daemon.add_user(name, role, password)
        cls.before_start()
        cls.daemon.start()
        cls.browsers = []
        try:
            cls.open_browsers()
        except Exception:
            for browser in cls.browsers:
                browser.quit()
            cls.daemon.stop()
            raise
        cls.after_start()

    @classmethod
    def tearDownClass(cls):
        for browser in cls.browsers:
            browser.quit()
        code = cls.daemon.stop()
        log = cls.daemon.log()
        cls.scratch.remove()
        assert code == 0, f'the daemon did not stop cleanly ({code}):\n{log[-3000:]}'
        cls.check_log(log)


class PageHelpers:
    """Waiting for and finding things on a page, for the browser test classes. They work on
    `self.driver` unless given another driver; sign_in goes through the staff page's form at
    `self.daemon` with the password in `self.passwords`."""

    driver = None
    daemon = None
    passwords = {}

    def wait(self, css, timeout=15, visible=True, driver=None):
        """The first element `css` selects, once it is there (and visible, unless told otherwise)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait
        condition = ec.visibility_of_element_located if visible else ec.presence_of_element_located
        return WebDriverWait(driver or self.driver, timeout).until(condition((By.CSS_SELECTOR, css)))

    def wait_for(self, predicate, timeout=15, what='the page', driver=None):
        """`predicate()`'s first true value; its exceptions count as not yet."""
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(driver or self.driver, timeout, ignored_exceptions=(Exception,)).until(
            lambda d: predicate(), message=f'waiting for {what}')

    def find(self, css, driver=None):
        from selenium.webdriver.common.by import By
        return (driver or self.driver).find_elements(By.CSS_SELECTOR, css)

    def fresh_page(self, hash_='#/'):
        """The staff page with no session and no remembered language."""
        self.driver.get(self.daemon.url + '/')
        self.driver.delete_all_cookies()
        self.driver.execute_script('localStorage.clear()')
        self.driver.get(self.daemon.url + '/' + hash_)

    def sign_in(self, name, password=None, expect_inbox=True):
        self.fresh_page()
        self.wait('form input[name=name]').send_keys(name)
        self.wait('form input[name=password]').send_keys(password or self.passwords[name])
        self.wait('form button[type=submit]').click()
        if expect_inbox:
            self.wait_for(lambda: self.find('table.tickets'), what='the inbox')
