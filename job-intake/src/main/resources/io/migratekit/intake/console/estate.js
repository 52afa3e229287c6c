// The estate: every VM context, a page at a time (filtered, sorted and counted by the server, so
// thousands of VMs cost one page of rows), with each VM's current job as a live progress bar
// (throughput, ETA) and its last successful sync. JobProgress events update the rows in place; any
// other job event reloads the page shortly after (the read model has then caught up).

import { $, el, fill, bar, setBar, status } from './dom.js';
import { get } from './api.js';
import * as f from './format.js';

const RELOAD_AFTER_MS = 700;
const ENDED = ['completed', 'failed'];

export class Estate {
  constructor(app) {
    this.app = app;
    this.query = { name: '', status: '', sort: 'name', order: 'asc', limit: 50, offset: 0 };
    this.rows = new Map();
    this.total = 0;
    this.reloadTimer = null;
    let typing = null;
    $('filter-name').addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => { this.query.name = $('filter-name').value.trim(); this.query.offset = 0; this.load(); }, 300);
    });
    $('filter-status').addEventListener('change', () => {
      this.query.status = $('filter-status').value; this.query.offset = 0; this.load();
    });
    $('page-size').addEventListener('change', () => {
      this.query.limit = Number($('page-size').value); this.query.offset = 0; this.load();
    });
    for (const button of document.querySelectorAll('button.sort')) {
      button.addEventListener('click', () => {
        const sort = button.dataset.sort;
        this.query.order = this.query.sort === sort && this.query.order === 'asc' ? 'desc' : 'asc';
        this.query.sort = sort;
        this.query.offset = 0;
        this.load();
      });
    }
    $('page-prev').addEventListener('click', () => {
      this.query.offset = Math.max(0, this.query.offset - this.query.limit); this.load();
    });
    $('page-next').addEventListener('click', () => {
      if (this.query.offset + this.query.limit < this.total) { this.query.offset += this.query.limit; this.load(); }
    });
  }

  async load() {
    const params = new URLSearchParams({ limit: this.query.limit, offset: this.query.offset, sort: this.query.sort,
      order: this.query.order });
    if (this.query.name) params.set('name', this.query.name);
    if (this.query.status) params.set('status', this.query.status);
    try {
      this.render(await get('/api/v1/vm-contexts?' + params));
    } catch (e) {
      this.app.notify(e);
    }
  }

  render(page) {
    this.total = page.total;
    this.rows.clear();
    const rows = page.vm_contexts.map((context) => this.row(context));
    fill($('estate-rows'), rows.length ? rows : el('tr', {}, el('td', { colspan: 7, class: 'muted' },
      this.query.name || this.query.status ? 'No VM matches the filter.' : 'No VM is managed yet.')));
    const first = page.total === 0 ? 0 : page.offset + 1;
    $('page-info').textContent = `${first}–${page.offset + page.count} of ${page.total}`;
    $('estate-count').textContent = page.total + (page.total === 1 ? ' VM' : ' VMs');
    $('page-prev').disabled = page.offset === 0;
    $('page-next').disabled = page.offset + page.count >= page.total;
    for (const button of document.querySelectorAll('button.sort')) {
      button.classList.toggle('asc', button.dataset.sort === this.query.sort && this.query.order === 'asc');
      button.classList.toggle('desc', button.dataset.sort === this.query.sort && this.query.order === 'desc');
    }
  }

  row(context) {
    const job = context.current_job;
    const running = job && !ENDED.includes(job.status);
    const cells = {
      job: el('td', { class: 'job' }),
      throughput: el('td', { class: 'throughput' }, running ? f.mbps(job.throughput_mbps) : '—'),
      eta: el('td', { class: 'eta' }, running ? f.seconds(job.eta_seconds) : '—'),
    };
    if (running) this.showJob(cells, job.replication_type, job.progress_percent, job.current_operation);
    else cells.job.textContent = '—';
    const last = context.last_successful_job;
    const tr = el('tr', { dataset: { vm: context.vmware_vm_id } },
      el('td', {}, el('a', { href: '#/vm/' + encodeURIComponent(context.vm_name), class: 'vm-link' }, context.vm_name),
        el('div', { class: 'muted' }, context.vm_path)),
      el('td', {}, status(context.current_status)),
      cells.job, cells.throughput, cells.eta,
      el('td', { class: 'last-sync' }, last ? [f.time(last.completed_at), el('div', { class: 'muted' },
        `${last.replication_type} · ${f.seconds(f.between(last.started_at, last.completed_at))} · ${f.bytes(last.bytes_transferred)}`)]
        : '—'),
      el('td', {}, f.time(context.updated_at)));
    this.rows.set(context.vmware_vm_id, cells);
    return tr;
  }

  showJob(cells, type, percent, operation) {
    fill(cells.job, bar(percent), el('div', { class: 'muted op' }, [type, operation].filter(Boolean).join(' · ')));
  }

  onEvent(type, event) {
    const cells = this.rows.get(event.vmware_vm_id);
    if (type === 'JobProgress' && cells) {
      const existing = cells.job.querySelector('.bar');
      if (existing) {
        setBar(existing, event.percent);
        cells.job.querySelector('.op').textContent = event.current_operation || '';
      } else {
        this.showJob(cells, event.sync_type, event.percent, event.current_operation);
      }
      cells.throughput.textContent = f.mbps(event.throughput_mbps);
      cells.eta.textContent = f.seconds(event.eta_seconds);
    } else if (type !== 'JobProgress' && type !== 'ChangeIdRecorded') {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.load(), RELOAD_AFTER_MS);
    }
  }
}
