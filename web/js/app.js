// The staff page: one HTML page whose views are drawn from the API's JSON. The view follows the
// address's fragment (#/, #/tickets/RD-000123, #/customers/12, #/templates, #/reports, #/people, #/me, #setup=...), so the
// back button and bookmarks work and the daemon serves only files.

import {el, replace, select} from './dom.js';
import {session, get, del, whenSignedOut, atLeast} from './api.js';
import {t, lang, setLang, languages} from './i18n.js';
import {showSignIn, showSetup} from './signin.js';
import {showInbox} from './inbox.js';
import {showTicket} from './ticket.js';
import {showCustomer} from './customer.js';
import {showTemplates} from './templates.js';
import {showPeople} from './people.js';
import {showProfile} from './profile.js';
import {showReports} from './reports.js';
import {go, setRouter} from './nav.js';

const header = document.getElementById('top');
const main = document.getElementById('main');

// Whatever the view started (polling, timers) stops when another view is drawn.
let leaveView = () => {};

function drawHeader(current) {
  const link = (hash, key, name) => el('a', {href: hash, class: current === name ? 'current' : '',
                                             attrs: {'aria-current': current === name ? 'page' : null}}, t(key));
  const languageChoice = select(languages.map((l) => [l.code, l.name]), lang(), {
    class: 'language', attrs: {'aria-label': t('nav.language')},
    onchange: (e) => { setLang(e.target.value); route(); },
  });
  const nav = [];
  if (session.user) {
    nav.push(link('#/', 'nav.inbox', 'inbox'), link('#/templates', 'nav.templates', 'templates'));
    if (atLeast('manager')) nav.push(link('#/reports', 'nav.reports', 'reports'));
    if (atLeast('owner')) nav.push(link('#/people', 'nav.people', 'people'));
    nav.push(link('#/me', 'nav.profile', 'me'));
  }
  replace(header,
    el('a', {href: '#/', class: 'brand'}, 'Redress'),
    el('nav', {attrs: {'aria-label': t('nav.main')}}, nav),
    el('div', {class: 'who'},
      session.user ? el('span', {class: 'user', dataset: {role: session.user.role}},
        session.user.display_name || session.user.name, ' · ', t('role.' + session.user.role)) : null,
      languageChoice,
      session.user ? el('button', {type: 'button', class: 'quiet', onclick: signOut}, t('nav.signout')) : null));
}

async function signOut() {
  try {
    await del('/session');
  } catch {
    // The session is gone either way.
  }
  session.user = null;
  session.csrf = '';
  go('#/');
}

async function route() {
  leaveView();
  leaveView = () => {};
  document.documentElement.lang = lang();
  document.title = 'Redress';
  const hash = location.hash || '#/';
  const setup = /^#setup=([A-Za-z0-9_-]+)$/.exec(hash);
  if (setup) {
    drawHeader('');
    showSetup(main, setup[1], () => go('#/'));
    return;
  }
  if (!session.user) {
    drawHeader('');
    showSignIn(main, () => route());
    return;
  }
  const parts = hash.slice(1).split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  let view = 'inbox';
  if (parts[0] === 'tickets' && parts[1]) {
    view = 'ticket';
    leaveView = showTicket(main, parts[1]) || leaveView;
  } else if (parts[0] === 'customers' && parts[1]) {
    view = 'customer';
    leaveView = showCustomer(main, parts[1]) || leaveView;
  } else if (parts[0] === 'templates') {
    view = 'templates';
    leaveView = showTemplates(main, parts[1], parts[2]) || leaveView;
  } else if (parts[0] === 'people' && atLeast('owner')) {
    view = 'people';
    leaveView = showPeople(main) || leaveView;
  } else if (parts[0] === 'reports' && atLeast('manager')) {
    view = 'reports';
    leaveView = showReports(main) || leaveView;
  } else if (parts[0] === 'me') {
    view = 'me';
    leaveView = showProfile(main, (user) => { session.user = user; drawHeader('me'); }) || leaveView;
  } else {
    leaveView = showInbox(main) || leaveView;
  }
  drawHeader(view);
}

async function start() {
  // Staff letters link <public_url>/tickets/RD-000123: the same view by its fragment.
  const path = /^\/tickets\/([^/]+)$/.exec(location.pathname);
  if (path) history.replaceState(null, '', '/#/tickets/' + path[1]);
  setRouter(route);
  whenSignedOut(() => route());
  try {
    const me = await get('/me', {quiet401: true});
    session.user = me.data;
    session.csrf = me.data.csrf_token || '';
  } catch {
    session.user = null;
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
