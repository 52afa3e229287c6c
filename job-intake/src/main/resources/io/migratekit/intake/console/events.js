// The one server-sent event connection of this browser tab: every job's and failover's events from
// GET /api/v1/events. EventSource cannot send the Authorization header, so each connection first
// trades the token for a one-time ticket (POST /api/v1/events/tickets) and puts only that ticket in
// the URL. A ticket is used up by its connection, so the browser's own retry cannot work: on any
// error the tab opens a new connection with a new ticket and the last event id it got, and the
// server resumes from there ("ready") or says it cannot ("resync": reload the data).

import { post } from './api.js';

const TYPES = ['ready', 'resync', 'JobCreated', 'JobStarted', 'JobProgress', 'ChangeIdRecorded', 'JobCompleted',
  'JobFailed', 'FailoverAccepted', 'FailoverStepChanged', 'FailoverCompleted', 'FailoverFailed', 'FailoverCleanedUp'];

export class LiveEvents {
  constructor(onEvent, onState) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = null;
    this.source = null;
    this.stopped = true;
    this.retry = null;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.source) this.source.close();
    this.source = null;
    this.onState('offline', 'signed out');
  }

  async connect() {
    if (this.stopped) return;
    let ticket;
    try {
      ticket = await post('/api/v1/events/tickets');
    } catch (e) {
      this.onState('offline', e.message);
      this.later(e.status === 401 ? 0 : 3000, e.status === 401);
      return;
    }
    let url = '/api/v1/events?ticket=' + encodeURIComponent(ticket.ticket);
    if (this.lastId) url += '&last_event_id=' + encodeURIComponent(this.lastId);
    const source = new EventSource(url);
    this.source = source;
    for (const type of TYPES) {
      source.addEventListener(type, (message) => {
        if (message.lastEventId) this.lastId = message.lastEventId;
        let data = {};
        try { data = JSON.parse(message.data); } catch { data = {}; }
        this.onEvent(type, data);
      });
    }
    source.onopen = () => this.onState('live', 'live');
    source.onerror = () => {
      source.close();
      if (this.source === source) this.source = null;
      this.onState('offline', 'reconnecting…');
      this.later(1000, false);
    };
  }

  later(delay, give_up) {
    if (this.stopped || give_up) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), delay);
  }
}
