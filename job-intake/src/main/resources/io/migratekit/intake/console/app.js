// The console's shell: sign-in with an API token (kept in sessionStorage, sent as the bearer
// header), the role it has (a read-only token sees everything and no action), the one live event
// connection, the three views (#/ the estate, #/vm/<name> one VM, #/schedules schedules and groups), notices (every API error shown as
// the API's own status and message) and the confirmation dialog.

import { $, el, fill } from './dom.js';
import { get, post, token } from './api.js';
import { LiveEvents } from './events.js';
import { Estate } from './estate.js';
import { VmView } from './vm.js';
import { SchedulesView } from './schedules.js';

const VIEWS = ['sign-in', 'estate', 'vm', 'schedules'];

class Console {
  constructor() {
    this.session = null;
    this.estate = new Estate(this);
    this.vm = new VmView(this);
    this.schedules = new SchedulesView(this);
    this.live = new LiveEvents((type, data) => this.onEvent(type, data), (state, text) => this.liveState(state, text));
    $('sign-in-form').addEventListener('submit', (e) => { e.preventDefault(); this.signIn($('token').value.trim()); });
    $('sign-out').addEventListener('click', () => this.signOut());
    $('add-vm-form').addEventListener('submit', (e) => { e.preventDefault(); this.addVm(e.target); });
    $('replicate-target').addEventListener('input', (e) => { e.target.dataset.touched = 'yes'; });
    window.addEventListener('hashchange', () => this.route());
  }

  async start() {
    if (token.get()) await this.signIn(token.get());
    else this.showView('sign-in');
  }

  async signIn(value) {
    if (!value) return;
    token.set(value);
    try {
      this.session = await get('/api/v1/session');
    } catch (e) {
      token.clear();
      this.notify(e);
      this.showView('sign-in');
      return;
    }
    $('token').value = '';
    this.clearNotice();
    const canWrite = this.session.permissions.includes('write');
    document.body.classList.toggle('read-only', !canWrite);
    for (const button of document.querySelectorAll('.writer button, .writer input, .writer select')) button.disabled = !canWrite;
    fill($('who'), `${this.session.name} (${this.session.role})`);
    $('sign-out').hidden = false;
    $('nav').hidden = false;
    this.live.start();
    this.route();
  }

  signOut() {
    token.clear();
    this.session = null;
    this.live.stop();
    fill($('who'));
    $('sign-out').hidden = true;
    $('nav').hidden = true;
    this.showView('sign-in');
  }

  route() {
    if (!this.session) return;
    const match = location.hash.match(/^#\/vm\/(.+)$/);
    if (location.hash === '#/schedules') {
      this.showView('schedules');
      this.schedules.load();
    } else if (match) {
      this.showView('vm');
      this.vm.show(decodeURIComponent(match[1]));
    } else {
      this.showView('estate');
      this.estate.load();
    }
  }

  showView(name) {
    for (const view of VIEWS) $(view).hidden = view !== name;
  }

  visible(name) {
    return !$(name).hidden;
  }

  onEvent(type, data) {
    if ((type === 'ready' && !data.resumed) || type === 'resync') {
      // Connected afresh, or too long away to resume: what the page shows is reloaded.
      this.route();
      return;
    }
    if (type === 'ready') return;
    if (this.visible('estate')) this.estate.onEvent(type, data);
    if (this.visible('vm')) this.vm.onEvent(type, data);
    if (this.visible('schedules')) this.schedules.onEvent(type, data);
  }

  liveState(state, text) {
    const badge = $('live');
    badge.textContent = text;
    badge.classList.toggle('on', state === 'live');
    badge.classList.toggle('off', state !== 'live');
  }

  /** Runs an action: shows what it does, then its answer, or the API's error as it is. Answers the result or null. */
  async act(doing, call, describe) {
    this.notify(doing, 'info');
    try {
      const answer = await call();
      this.notify(describe(answer), 'info');
      return answer;
    } catch (e) {
      this.notify(e);
      return null;
    }
  }

  async addVm(form) {
    const data = Object.fromEntries(new FormData(form).entries());
    const source = { id: data.id, name: data.name, path: data.path };
    if (data.datacenter) source.datacenter = data.datacenter;
    if (data.vcenter_host) source.vcenter_host = data.vcenter_host;
    const answer = await this.act(`Adding ${data.name} to management…`, () => post('/api/v1/replications',
      { source_vm: source, ossea_config_id: Number(data.ossea_config_id), start_replication: false }),
      (a) => `${a.vm_name || data.name}: ${a.message || a.current_status}`);
    if (answer) { form.reset(); this.estate.load(); }
  }

  notify(message, kind = 'error') {
    const notice = $('notice');
    notice.textContent = message instanceof Error ? message.message : String(message);
    notice.classList.toggle('info', kind === 'info');
    notice.hidden = false;
  }

  clearNotice() {
    $('notice').hidden = true;
  }

  /** A modal confirmation naming what is confirmed; resolves true when confirmed. */
  confirm(title, body, okText) {
    const dialog = $('confirm');
    fill($('confirm-title'), title);
    fill($('confirm-body'), ...body);
    $('confirm-ok').textContent = okText;
    dialog.returnValue = '';
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
    });
  }
}

new Console().start();
