// Schedules and machine groups (#/schedules): the schedules with their cron, time zone, type and
// caps, a form to create one, enable/disable and trigger now; the executions of the schedule picked,
// with their counts, followed until they end; the groups with their schedule and member count, a
// form to create one and one to add a VM context to a group. Writes answer 202 and the GETs show the
// change once scheduler-service has applied it, so after a write the thing written is polled for
// (bounded) and the lists re-read. A read-only token sees the lists and gets no form or button.

import { $, el, fill, status } from './dom.js';
import { get, post, q } from './api.js';
import * as f from './format.js';

const POLL_MS = 500;
const POLL_TRIES = 40;
const EXECUTIONS_EVERY_MS = 2000;
const PAGE = 'limit=200';

/** Asks until the answer satisfies the check (a 404 meanwhile counts as not yet); bounded. */
async function until(path, check) {
  for (let i = 0; i < POLL_TRIES; i++) {
    try {
      if (check(await get(path))) return true;
    } catch (e) {
      if (e.status !== 404) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}

export class SchedulesView {
  constructor(app) {
    this.app = app;
    this.selected = null;
    this.executionsTimer = null;
    $('schedule-form').addEventListener('submit', (e) => { e.preventDefault(); this.createSchedule(e.target); });
    $('group-form').addEventListener('submit', (e) => { e.preventDefault(); this.createGroup(e.target); });
    $('member-form').addEventListener('submit', (e) => { e.preventDefault(); this.addMember(e.target); });
  }

  canWrite() {
    return this.app.session.permissions.includes('write');
  }

  async load() {
    try {
      const [schedules, groups] = await Promise.all([get('/api/v1/schedules?' + PAGE),
        get('/api/v1/machine-groups?' + PAGE)]);
      this.schedules = schedules.items;
      this.renderSchedules(schedules.items);
      this.renderGroups(groups.items);
      if (this.canWrite()) await this.loadUngrouped();
      if (this.selected) await this.loadExecutions();
    } catch (e) {
      this.app.notify(e);
    }
  }

  renderSchedules(schedules) {
    const rows = schedules.map((s) => el('tr', { dataset: { schedule: s.id, name: s.name } },
      el('td', { class: 'name' }, s.name, el('div', { class: 'muted' }, s.id)),
      el('td', { class: 'cron' }, el('code', {}, s.cron_expression)),
      el('td', {}, s.timezone),
      el('td', { class: 'enabled' }, s.enabled ? 'enabled' : 'disabled'),
      el('td', {}, s.replication_type),
      el('td', {}, `${s.max_concurrent_jobs} jobs · ${s.retry_attempts} retries / ${s.retry_delay_minutes} min`
        + (s.skip_if_running ? ' · skip if running' : '')),
      el('td', { class: 'row-actions' },
        el('button', { type: 'button', class: 'executions', onclick: () => this.select(s.id) }, 'Executions'),
        this.canWrite() && el('button', { type: 'button', class: 'toggle', onclick: () => this.enable(s, !s.enabled) },
          s.enabled ? 'Disable' : 'Enable'),
        this.canWrite() && el('button', { type: 'button', class: 'trigger', onclick: () => this.trigger(s) },
          'Trigger now'))));
    fill($('schedule-rows'), rows.length ? rows
      : el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No schedule yet.')));
    const options = schedules.map((s) => el('option', { value: s.id }, s.name));
    fill($('group-schedule'), el('option', { value: '' }, 'none'), options);
  }

  renderGroups(groups) {
    const names = new Map((this.schedules || []).map((s) => [s.id, s.name]));
    const rows = groups.map((g) => el('tr', { dataset: { group: g.id, name: g.name } },
      el('td', { class: 'name' }, g.name, el('div', { class: 'muted' }, g.id)),
      el('td', { class: 'schedule' }, g.schedule_id ? names.get(g.schedule_id) || g.schedule_id : '—'),
      el('td', {}, String(g.max_concurrent_vms)),
      el('td', {}, String(g.priority)),
      el('td', { class: 'members' }, String(g.member_count))));
    fill($('group-rows'), rows.length ? rows
      : el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No machine group yet.')));
    fill($('member-group'), groups.map((g) => el('option', { value: g.id }, g.name)));
  }

  async loadUngrouped() {
    const page = await get('/api/v1/vm-contexts/ungrouped?' + PAGE);
    fill($('member-context'), page.items.map((c) => el('option', { value: c.vm_context_id },
      `${c.vm_name} (${c.current_status})`)));
  }

  async select(id) {
    this.selected = id;
    const schedule = (this.schedules || []).find((s) => s.id === id);
    fill($('executions-of'), schedule ? schedule.name : id);
    $('executions').hidden = false;
    await this.loadExecutions();
  }

  async loadExecutions() {
    clearTimeout(this.executionsTimer);
    const id = this.selected;
    let page;
    try {
      page = await get('/api/v1/schedules/' + q(id) + '/executions?' + PAGE);
    } catch (e) {
      this.app.notify(e);
      return;
    }
    if (id !== this.selected) return;
    const rows = page.items.map((x) => el('tr', { dataset: { execution: x.id } },
      el('td', {}, x.id, el('div', { class: 'muted' }, [x.triggered_by, x.reason].filter(Boolean).join(' · '))),
      el('td', { class: 'exec-status' }, status(x.status), x.skip_reason ? el('div', { class: 'muted' }, x.skip_reason) : null),
      el('td', { class: 'count-eligible' }, String(x.vms_eligible)),
      el('td', { class: 'count-created' }, String(x.jobs_created)),
      el('td', { class: 'count-completed' }, String(x.jobs_completed)),
      el('td', { class: 'count-failed' }, String(x.jobs_failed)),
      el('td', { class: 'count-skipped' }, String(x.jobs_skipped)),
      el('td', {}, f.time(x.scheduled_at || x.due_at)),
      el('td', {}, f.time(x.started_at)),
      el('td', {}, f.time(x.completed_at))));
    fill($('execution-rows'), rows.length ? rows
      : el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'No execution yet.')));
    // An execution still running is followed until it ends, while this view is shown.
    if (page.items.some((x) => !x.completed_at) && this.app.visible('schedules')) {
      this.executionsTimer = setTimeout(() => this.loadExecutions(), EXECUTIONS_EVERY_MS);
    }
  }

  async createSchedule(form) {
    const data = Object.fromEntries(new FormData(form).entries());
    const body = { name: data.name, cron_expression: data.cron_expression, timezone: data.timezone,
      replication_type: data.replication_type, max_concurrent_jobs: Number(data.max_concurrent_jobs) };
    const answer = await this.app.act(`Creating schedule ${data.name}…`, () => post('/api/v1/schedules', body),
      (a) => `Schedule ${a.name} created (${a.id})`);
    if (!answer) return;
    form.reset();
    await this.settle('/api/v1/schedules/' + q(answer.id), () => true);
  }

  async enable(schedule, enabled) {
    const answer = await this.app.act(`${enabled ? 'Enabling' : 'Disabling'} ${schedule.name}…`,
      () => post('/api/v1/schedules/' + q(schedule.id) + '/enable', { enabled }),
      (a) => `Schedule ${a.name} ${a.enabled ? 'enabled' : 'disabled'}`);
    if (answer) await this.settle('/api/v1/schedules/' + q(schedule.id), (s) => s.enabled === enabled);
  }

  async trigger(schedule) {
    const answer = await this.app.act(`Triggering ${schedule.name}…`,
      () => post('/api/v1/schedules/' + q(schedule.id) + '/trigger', { reason: 'console' }),
      (a) => `Schedule ${schedule.name} triggered: execution ${a.execution_id}`);
    if (!answer) return;
    this.selected = schedule.id;
    await until('/api/v1/schedules/' + q(schedule.id) + '/executions?' + PAGE,
      (page) => page.items.some((x) => x.id === answer.execution_id)).catch((e) => this.app.notify(e));
    await this.select(schedule.id);
  }

  async createGroup(form) {
    const data = Object.fromEntries(new FormData(form).entries());
    const body = { name: data.name, max_concurrent_vms: Number(data.max_concurrent_vms), priority: Number(data.priority) };
    if (data.schedule_id) body.schedule_id = data.schedule_id;
    const answer = await this.app.act(`Creating group ${data.name}…`, () => post('/api/v1/machine-groups', body),
      (a) => `Group ${a.name} created (${a.id})`);
    if (!answer) return;
    form.reset();
    await this.settle('/api/v1/machine-groups/' + q(answer.id), () => true);
  }

  async addMember(form) {
    const group = $('member-group').value;
    const context = $('member-context').value;
    const before = await get('/api/v1/machine-groups/' + q(group)).catch(() => null);
    const answer = await this.app.act('Adding the VM to the group…',
      () => post('/api/v1/machine-groups/' + q(group) + '/vms', { vm_context_ids: [context] }),
      (a) => `Added to group ${a.group_id}: ${a.added.join(', ')}`);
    if (!answer || !before) return;
    await this.settle('/api/v1/machine-groups/' + q(group), (g) => g.member_count > before.member_count);
  }

  /** After a write: waits (bounded) until the GET shows it, then re-reads the lists. */
  async settle(path, check) {
    try {
      await until(path, check);
    } catch (e) {
      this.app.notify(e);
    }
    await this.load();
  }

  onEvent(type) {
    // A job of the execution shown ended or moved: its counts are re-read.
    if (this.selected && type !== 'JobProgress' && type !== 'ChangeIdRecorded') {
      clearTimeout(this.executionsTimer);
      this.executionsTimer = setTimeout(() => this.loadExecutions(), EXECUTIONS_EVERY_MS);
    }
  }
}
