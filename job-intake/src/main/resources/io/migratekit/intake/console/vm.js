// One VM: its facts, its current job with per-disk live progress, its job history (the audit trail:
// type, disks with their change ids, duration, bytes, outcome, who or what requested it), its
// failovers with each step's start, end and duration, its events as a timeline, and the actions
// (replicate now, test failover, cleanup, live failover after a confirmation that names the VM and
// shows the estimated downtime). Job and failover events of this VM arrive live on the console's
// one stream; a failover's event re-reads that failover once (its steps with their times), no timer.

import { $, el, fill, bar, setBar, status } from './dom.js';
import { get, post, q } from './api.js';
import * as f from './format.js';

const ENDED = ['completed', 'failed'];
const FAILOVER_ENDED = ['completed', 'failed', 'cleaned_up'];
const FAILOVER_EVENTS = ['FailoverAccepted', 'FailoverStepChanged', 'FailoverCompleted', 'FailoverFailed',
  'FailoverCleanedUp'];
const FAILOVER_ENDS = { FailoverCompleted: 'completed', FailoverFailed: 'failed', FailoverCleanedUp: 'cleaned_up' };
const CATCH_UP_READS = 5;
const RELOAD_AFTER_MS = 700;
const TIMELINE_LIMIT = 300;

export class VmView {
  constructor(app) {
    this.app = app;
    this.name = null;
    this.detail = null;
    this.failovers = [];
    this.liveTimeline = [];
    this.currentBars = null;
    this.failoverTimers = new Map();
    this.reloadTimer = null;
    $('replicate-now').addEventListener('click', () => this.replicate());
    $('test-failover').addEventListener('click', () => this.failover('test'));
    $('live-failover').addEventListener('click', () => this.confirmLive());
    $('cleanup').addEventListener('click', () => this.cleanup());
  }

  async show(name) {
    if (name !== this.name) {
      this.name = name;
      this.liveTimeline = [];
      this.detail = null;
      fill($('vm-name'), name);
    }
    await this.load();
  }

  async load() {
    const name = this.name;
    try {
      const [detail, list] = await Promise.all([get('/api/v1/vm-contexts/' + q(name)),
        get('/api/v1/failovers?limit=10&vm_name=' + q(name))]);
      const failovers = await Promise.all(list.failovers.map((fo) => get('/api/v1/failovers/' + q(fo.failover_job_id))));
      if (name !== this.name) return;
      this.detail = detail;
      this.failovers = failovers;
      this.render();
    } catch (e) {
      this.app.notify(e);
    }
  }

  render() {
    const { context, current_job: job, job_history: history, disks } = this.detail;
    fill($('vm-name'), context.vm_name);
    fill($('vm-facts'), ...[
      ['Status', status(context.current_status)], ['VMware id', context.vmware_vm_id], ['Path', context.vm_path],
      ['vCenter', context.vcenter_host], ['Datacenter', context.datacenter], ['Power', context.power_state],
      ['CPUs / memory', `${context.cpu_count ?? '—'} / ${context.memory_mb ? context.memory_mb + ' MB' : '—'}`],
      ['Jobs', `${context.total_jobs_run} run, ${context.successful_jobs} successful, ${context.failed_jobs} failed`],
    ].flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value ?? '—')]));
    const lastTarget = history.find((h) => h.ossea_config_id !== null && h.ossea_config_id !== undefined);
    if (lastTarget && !$('replicate-target').dataset.touched) $('replicate-target').value = lastTarget.ossea_config_id;
    $('cleanup').disabled = !this.cleanable();
    this.renderCurrent(job, disks);
    fill($('job-history'), history.length ? history.map((h) => this.historyRow(h))
      : el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No job yet.')));
    this.renderFailovers();
    this.renderTimeline();
  }

  renderCurrent(job, disks) {
    const box = $('current-job');
    this.currentBars = null;
    if (!job) {
      fill(box, el('p', { class: 'muted' }, 'No job running.'));
      return;
    }
    const state = job.status === 'completed' ? 'done' : job.status === 'failed' ? 'failed' : 'running';
    const jobBar = bar(job.progress_percent, state);
    jobBar.id = 'current-job-bar';
    jobBar.dataset.job = job.job_id;
    const facts = el('p', { class: 'muted job-facts' });
    const diskRows = new Map();
    const jobDisks = disks.filter((d) => d.job_id === job.job_id);
    const table = el('table', { class: 'grid disks' },
      el('thead', {}, el('tr', {}, ['Disk', 'Progress', 'Copied', 'Status'].map((h) => el('th', {}, h)))),
      el('tbody', {}, jobDisks.map((d) => {
        const cells = { bar: bar(d.progress_percent, d.status === 'completed' ? 'done' : 'running'),
          copied: el('td', {}, `${f.bytes(d.bytes_transferred)} of ${f.bytes(d.total_bytes)}`),
          status: el('td', {}, d.status) };
        diskRows.set(d.disk_id, cells);
        return el('tr', {}, el('td', {}, `${d.label || d.disk_id} (${d.disk_id})`), el('td', {}, cells.bar),
          cells.copied, cells.status);
      })));
    fill(box, el('p', {}, status(job.status), ' ', `${job.replication_type} job ${job.job_id}`), jobBar, facts, table);
    this.currentBars = { jobId: job.job_id, bar: jobBar, facts, disks: diskRows };
    this.setFacts(job.bytes_transferred, job.total_bytes, job.throughput_mbps, job.eta_seconds, job.current_operation);
  }

  setFacts(done, total, throughput, eta, operation) {
    this.currentBars.facts.textContent = `${f.bytes(done)} of ${f.bytes(total)} · ${f.mbps(throughput)} · ETA `
      + `${f.seconds(eta)}${operation ? ' · ' + operation : ''}`;
  }

  historyRow(job) {
    const state = job.status === 'completed' ? 'done' : job.status === 'failed' ? 'failed' : 'running';
    const jobBar = bar(job.progress_percent, state);
    jobBar.dataset.job = job.job_id;
    const disksCell = el('td', {});
    const toggle = el('details', {}, el('summary', {}, 'disks'));
    toggle.addEventListener('toggle', () => { if (toggle.open && toggle.children.length === 1) this.loadDisks(job.job_id, toggle); });
    disksCell.append(toggle);
    const by = [job.requested_by, job.scheduled_by ? 'scheduler ' + job.scheduled_by : null,
      job.schedule_execution_id ? 'execution ' + job.schedule_execution_id : null,
      job.failover_id ? 'failover ' + job.failover_id : null].filter(Boolean).join(' · ');
    const outcome = [status(job.status)];
    if (job.status === 'failed') outcome.push(el('div', { class: 'muted' }, [job.failure_reason, job.error_message].filter(Boolean).join(': ')));
    return el('tr', { dataset: { job: job.job_id } }, el('td', {}, f.time(job.created_at)), el('td', {}, job.replication_type),
      el('td', {}, outcome), el('td', {}, jobBar),
      el('td', {}, f.seconds(f.between(job.started_at, job.completed_at))),
      el('td', {}, f.bytes(job.bytes_transferred)), el('td', {}, by || '—'), disksCell);
  }

  async loadDisks(jobId, toggle) {
    try {
      const job = await get('/api/v1/replications/' + q(jobId));
      toggle.append(el('table', { class: 'grid disks' },
        el('thead', {}, el('tr', {}, ['Disk', 'Size', 'Volume', 'Base change id', 'Change id', 'Status'].map((h) => el('th', {}, h)))),
        el('tbody', {}, (job.disks || []).map((d) => el('tr', {}, el('td', {}, `${d.label || ''} ${d.disk_id}`),
          el('td', {}, f.bytes(d.capacity_bytes)), el('td', {}, d.volume_id || '—'),
          el('td', {}, d.previous_change_id || '— (full copy)'), el('td', {}, d.change_id || '—'), el('td', {}, d.status))))));
    } catch (e) {
      this.app.notify(e);
    }
  }

  renderFailovers() {
    if (!this.failovers.length) {
      fill($('failovers'), el('p', { class: 'muted' }, 'No failover yet.'));
      return;
    }
    fill($('failovers'), this.failovers.map((fo) => this.failoverBox(fo)));
  }

  failoverBox(fo) {
    const steps = (fo.steps || []).map((s) => el('tr', {}, el('td', {}, s.step), el('td', {}, status(s.status)),
      el('td', {}, f.time(s.started_at)), el('td', {}, f.time(s.completed_at)),
      el('td', {}, f.seconds(f.between(s.started_at, s.completed_at))), el('td', {}, s.message || '')));
    const head = el('thead', {}, el('tr', {}, ['Step', 'Status', 'Started', 'Ended', 'Duration', 'Message'].map((h) => el('th', {}, h))));
    const about = `${fo.failover_job_id} · requested by ${fo.requested_by} · ${f.time(fo.created_at)}`
      + (fo.target_vm_id ? ' · target VM ' + fo.target_vm_id : '');
    return el('div', { class: 'failover', dataset: { failover: fo.failover_job_id } },
      el('p', {}, el('strong', {}, fo.failover_type + ' failover'), ' ', status(fo.status), ' ', el('span', { class: 'muted' }, about)),
      fo.error_message ? el('p', { class: 'muted' }, `${fo.failed_step || ''}: ${fo.error_message}`) : null,
      el('table', { class: 'grid' }, head, el('tbody', {}, steps)));
  }

  renderTimeline() {
    const entries = [...this.liveTimeline];
    for (const job of this.detail.job_history) {
      entries.push({ at: job.created_at, text: `${job.replication_type} job ${job.job_id} created (requested by ${job.requested_by})` });
      if (job.started_at) entries.push({ at: job.started_at, text: `job ${job.job_id} started copying` });
      if (job.completed_at) entries.push({ at: job.completed_at, text: `job ${job.job_id} ${job.status}`
        + (job.error_message ? ': ' + job.error_message : '') });
    }
    for (const fo of this.failovers) {
      entries.push({ at: fo.created_at, text: `${fo.failover_type} failover ${fo.failover_job_id} requested by ${fo.requested_by}` });
      for (const s of fo.steps || []) {
        if (s.started_at) entries.push({ at: s.started_at, text: `${fo.failover_type} failover: ${s.step} started` });
        if (s.completed_at) entries.push({ at: s.completed_at, text: `${fo.failover_type} failover: ${s.step} ${s.status}`
          + (s.message ? ' (' + s.message + ')' : '') });
      }
    }
    const seen = new Set();
    const unique = entries.filter((e) => { const key = e.at + e.text; if (seen.has(key)) return false; seen.add(key); return true; });
    unique.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    fill($('timeline'), unique.slice(0, TIMELINE_LIMIT).map((e) => el('li', { class: e.live ? 'live' : '' },
      el('time', { datetime: e.at }, f.time(e.at)), e.text)));
  }

  onEvent(type, event) {
    if (!this.detail || event.vmware_vm_id !== this.detail.context.vmware_vm_id) return;
    if (FAILOVER_EVENTS.includes(type)) {
      this.onFailoverEvent(type, event);
      return;
    }
    if (type === 'JobProgress') {
      const current = this.currentBars;
      if (current && current.jobId === event.job_id) {
        setBar(current.bar, event.percent);
        this.setFacts(event.bytes_transferred, event.total_bytes, event.throughput_mbps, event.eta_seconds, event.current_operation);
        for (const disk of event.disks || []) {
          const cells = current.disks.get(disk.disk_id);
          if (!cells) continue;
          setBar(cells.bar, disk.percent, disk.status === 'completed' ? 'done' : 'running');
          cells.copied.textContent = `${f.bytes(disk.bytes_transferred)} of ${f.bytes(disk.total_bytes)}`;
          cells.status.textContent = disk.status;
        }
        const row = document.querySelector(`#job-history .bar[data-job="${CSS.escape(event.job_id)}"]`);
        if (row) setBar(row, event.percent);
        return;
      }
    } else {
      const text = type === 'JobFailed' ? `job ${event.job_id} failed: ${event.message || event.reason}`
        : type === 'ChangeIdRecorded' ? `job ${event.job_id}: a disk's change id recorded`
        : `job ${event.job_id}: ${type}`;
      this.liveTimeline.push({ at: event.occurred_at, text, live: true });
    }
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.load(), RELOAD_AFTER_MS);
  }

  sourceVm() {
    const c = this.detail.context;
    return { id: c.vmware_vm_id, name: c.vm_name, path: c.vm_path, datacenter: c.datacenter, vcenter_host: c.vcenter_host };
  }

  async replicate() {
    const body = { source_vm: this.sourceVm(), ossea_config_id: Number($('replicate-target').value) };
    const type = $('replicate-type').value;
    if (type) body.replication_type = type;
    await this.app.act(`Replicating ${this.name}…`, () => post('/api/v1/replications', body),
      (answer) => answer.job_id ? `Job ${answer.job_id} started (${answer.replication_type})` : answer.message);
    this.load();
  }

  async failover(type) {
    const answer = await this.app.act(`Requesting a ${type} failover of ${this.name}…`,
      () => post('/api/v1/failovers', { vm_name: this.name, failover_type: type }),
      (a) => `${type} failover ${a.failover_job_id}: ${a.message || a.status}`);
    this.load();
  }

  cleanable() {
    const latest = this.failovers[0];
    return Boolean(latest && latest.failover_type === 'test' && latest.status === 'completed');
  }

  async cleanup() {
    const latest = this.failovers[0];
    if (!latest) return;
    const answer = await this.app.act(`Cleaning up test failover ${latest.failover_job_id}…`,
      () => post('/api/v1/failovers/' + q(latest.failover_job_id) + '/cleanup'),
      (a) => `Cleanup of ${a.failover_job_id}: ${a.message || a.status}`);
    this.load();
  }

  async confirmLive() {
    let estimate;
    try {
      estimate = await get('/api/v1/vm-contexts/' + q(this.name) + '/downtime-estimate');
    } catch (e) {
      this.app.notify(e);
      return;
    }
    const part = (label, p) => el('tr', {}, el('td', {}, label), el('td', {}, p.seconds === null ? 'unknown' : f.seconds(p.seconds)),
      el('td', { class: 'muted' }, p.basis));
    const body = [
      el('p', {}, 'This powers off ', el('strong', {}, this.name), ', runs a final incremental sync and starts it in CloudStack.'),
      el('p', { id: 'downtime-total' }, 'Estimated downtime: ', el('strong', {}, f.seconds(estimate.total_seconds)),
        estimate.complete ? '' : ' plus the final sync (no incremental sync of this VM yet)'),
      el('table', { class: 'estimate' }, el('tbody', {}, part('Power-off', estimate.power_off),
        part('Final incremental sync', estimate.final_sync), part('Target VM', estimate.target_vm)))];
    if (await this.app.confirm(`Live failover of ${this.name}`, body, `Fail ${this.name} over`)) this.failover('live');
  }

  /**
   * A failover of this VM moved: it goes on the timeline and the failover is re-read once, a moment
   * later (after the read model took the event in; a burst of its events costs one read).
   */
  onFailoverEvent(type, event) {
    const id = event.failover_id;
    const text = type === 'FailoverStepChanged' ? `failover ${id}: ${event.step} ${event.status}`
      + (event.message ? ' (' + event.message + ')' : '')
      : type === 'FailoverFailed' ? `failover ${id} failed at ${event.failed_step}: ${event.reason}`
      : `failover ${id}: ${type}`;
    this.liveTimeline.push({ at: event.occurred_at, text, live: true });
    this.later(id, FAILOVER_ENDS[type], CATCH_UP_READS);
  }

  /** Re-reads the failover a moment from now (again if it was to be read: a burst costs one read). */
  later(failoverId, ended, reads) {
    clearTimeout(this.failoverTimers.get(failoverId));
    this.failoverTimers.set(failoverId, setTimeout(() => {
      this.failoverTimers.delete(failoverId);
      this.refresh(failoverId, ended, reads - 1);
    }, RELOAD_AFTER_MS));
  }

  /**
   * Re-reads one failover; when it has ended, the whole VM (its status changed too). After an event
   * that ended it (as {@code ended}: completed, failed, cleaned_up), a read model that does not show
   * that end yet is read again, a few times at most.
   */
  async refresh(failoverId, ended, reads) {
    const name = this.name;
    try {
      const fo = await get('/api/v1/failovers/' + q(failoverId));
      if (this.name !== name) return;
      if (ended && fo.status !== ended && reads > 0) this.later(failoverId, ended, reads);
      else if (FAILOVER_ENDED.includes(fo.status)) { this.load(); return; }
      const index = this.failovers.findIndex((x) => x.failover_job_id === failoverId);
      if (index >= 0) this.failovers[index] = fo; else this.failovers.unshift(fo);
      this.renderFailovers();
      this.renderTimeline();
      $('cleanup').disabled = !this.cleanable();
    } catch (e) {
      if (e.status !== 404) this.app.notify(e);
    }
  }
}
