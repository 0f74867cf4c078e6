import { describe, expect, it } from 'vitest';
import { newKey } from '../support/sandbox-ledger.js';
import { getJson, postJson } from '../support/http.js';
import { useSandbox } from '../support/fixtures.js';

const sandbox = useSandbox();

interface CalendarEvent {
  event_id: string;
  title: string;
  start: string;
  end: string;
  duration_minutes: number;
}

describe('jobs and CVs', () => {
  it('finds the best backend jobs first', async () => {
    const res = await postJson(sandbox.url, '/api/jobs/search', { query: 'backend jobs', count: 2 });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.jobs.map((j: { id: string }) => j.id)).toEqual(['job-101', 'job-102']);
    for (const job of res.body.jobs) expect(job.tags).toContain('backend');
  });

  it('finds frontend and data jobs, and nothing for gibberish', async () => {
    const frontend = await postJson(sandbox.url, '/api/jobs/search', { query: 'frontend', count: 20 });
    expect(frontend.body.jobs.length).toBeGreaterThanOrEqual(3);
    expect(frontend.body.jobs.every((j: { tags: string[] }) => j.tags.includes('frontend'))).toBe(true);
    const data = await postJson(sandbox.url, '/api/jobs/search', { query: 'data engineer', count: 1 });
    expect(data.body.jobs[0].id).toBe('job-104');
    const none = await postJson(sandbox.url, '/api/jobs/search', { query: 'zzzz', count: 5 });
    expect(none.body).toEqual({ query: 'zzzz', total: 0, jobs: [] });
  });

  it('validates the search body', async () => {
    const cases: Array<[unknown, string]> = [
      [{ query: '', count: 2 }, 'query: must not be empty'],
      [{ query: 'x', count: 0 }, 'count: must be at least 1'],
      [{ query: 'x', count: 1.5 }, 'count: must be an integer'],
      [{ count: 2 }, 'query: is required'],
    ];
    for (const [body, message] of cases) {
      const res = await postJson(sandbox.url, '/api/jobs/search', body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ success: false, message });
    }
  });

  it('tailors one CV per job from its title and company', async () => {
    const res = await postJson(sandbox.url, '/api/cv/tailor', { job_ids: ['job-101', 'job-110'] });
    expect(res.status).toBe(200);
    expect(res.body.cvs).toHaveLength(2);
    expect(res.body.cvs[0]).toMatchObject({ cv_id: 'cv-job-101', job_id: 'job-101', company: 'Acme Payments' });
    expect(res.body.cvs[0].text).toContain('Backend Engineer (Node.js) at Acme Payments');
    expect(res.body.cvs[1].text).toContain('Lumen AI');
    const unknown = await postJson(sandbox.url, '/api/cv/tailor', { job_ids: ['job-999'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Unknown job: job-999');
    const empty = await postJson(sandbox.url, '/api/cv/tailor', { job_ids: [] });
    expect(empty.body.message).toBe('job_ids: must have at least 1 item');
  });
});

describe('applications', () => {
  it('records applications once per key', async () => {
    const key = newKey('apply');
    const body = { job_ids: ['job-101', 'job-102'], cv_ids: ['cv-job-101', 'cv-job-102'] };
    const first = await postJson(sandbox.url, '/api/applications', body, { key });
    expect(first.status).toBe(200);
    expect(first.body.applications).toHaveLength(2);
    expect(first.body.applications[0]).toMatchObject({ job_id: 'job-101', cv_id: 'cv-job-101', status: 'submitted' });

    const again = await postJson(sandbox.url, '/api/applications', body, { key });
    expect(again.body).toEqual(first.body);
    const all = await getJson(sandbox.url, '/api/applications');
    const ids = first.body.applications.map((a: { application_id: string }) => a.application_id);
    expect(
      all.body.applications.filter((a: { application_id: string }) => ids.includes(a.application_id)),
    ).toHaveLength(2);
    expect(all.body.applications).toHaveLength(2);

    const conflict = await postJson(sandbox.url, '/api/applications', { job_ids: ['job-103'] }, { key });
    expect(conflict.status).toBe(409);
  });

  it('rejects bad application requests and writes nothing', async () => {
    const before = (await getJson(sandbox.url, '/api/applications')).body.applications.length;
    const noKey = await postJson(sandbox.url, '/api/applications', { job_ids: ['job-101'] });
    expect(noKey.status).toBe(400);
    // Each bad request and what its answer must say.
    const refusals: [Record<string, unknown>, object][] = [
      [{ job_ids: ['job-101'], cv_ids: [] }, { body: { message: 'cv_ids: must have one entry per job id' } }],
      [{ job_ids: ['job-101', 'job-101'] }, { body: { message: 'job_ids: must not repeat a job id' } }],
      [{ job_ids: ['job-101', 'job-404'] }, { status: 404 }],
    ];
    for (const [body, answer] of refusals)
      expect(await postJson(sandbox.url, '/api/applications', body, { key: newKey() })).toMatchObject(answer);
    expect((await getJson(sandbox.url, '/api/applications')).body.applications).toHaveLength(before);
  });
});

describe('calendar', () => {
  const week = '2030-01-07';

  async function weekEvents(): Promise<CalendarEvent[]> {
    return (await getJson<{ events: CalendarEvent[] }>(sandbox.url, `/api/calendar/events?week_start=${week}`)).body
      .events;
  }

  /** Books `count` events of `minutes` each in the week, under a new idempotency key. */
  function book(title: string, count: number, minutes: number) {
    return postJson(
      sandbox.url,
      '/api/calendar/events',
      { title, count, week_start: week, duration_minutes: minutes },
      { key: newKey('book') },
    );
  }

  function expectNoOverlaps(events: CalendarEvent[]): void {
    const sorted = [...events].sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start >= sorted[i - 1]!.end).toBe(true);
  }

  it('spreads events across the week at 07:00 UTC, once per key', async () => {
    const key = newKey('gym');
    const body = { title: 'Gym', count: 3, week_start: week, duration_minutes: 60 };
    const first = await postJson(sandbox.url, '/api/calendar/events', body, { key });
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: CalendarEvent) => e.start)).toEqual([
      '2030-01-07T07:00:00.000Z',
      '2030-01-09T07:00:00.000Z',
      '2030-01-11T07:00:00.000Z',
    ]);
    const again = await postJson(sandbox.url, '/api/calendar/events', body, { key });
    expect(again.body).toEqual(first.body);
    expect(await weekEvents()).toHaveLength(3);
    const conflict = await postJson(sandbox.url, '/api/calendar/events', { ...body, count: 2 }, { key });
    expect(conflict.status).toBe(409);
  });

  it('schedules around events already booked and stays inside the week', async () => {
    const res = await book('Run', 7, 90);
    expect(res.status).toBe(200);
    expect(res.body.events).toHaveLength(7);
    const events = await weekEvents();
    expect(events).toHaveLength(10);
    for (const e of events) {
      expect(e.start >= '2030-01-07T00:00:00.000Z' && e.end <= '2030-01-14T00:00:00.000Z').toBe(true);
    }
    expectNoOverlaps(events);
  });

  it('fills a busy week without overlaps and refuses when no room is left', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await book(`Block ${i}`, 7, 240);
      expect(res.status).toBe(200);
    }
    expectNoOverlaps(await weekEvents());
    const full = await book('More', 7, 240);
    expect(full.status).toBe(422);
    expect(full.body.message).toContain('No free slots');
  });

  it('validates the event body', async () => {
    const base = { title: 'Gym', count: 3, week_start: week, duration_minutes: 60 };
    const cases: Array<[unknown, string]> = [
      [{ ...base, week_start: '2030-01-08' }, 'week_start: must be a Monday (YYYY-MM-DD)'],
      [{ ...base, week_start: '2030-02-30' }, 'week_start: must be a Monday (YYYY-MM-DD)'],
      [{ ...base, week_start: 'next week' }, 'week_start: must be a date as YYYY-MM-DD'],
      [{ ...base, count: 8 }, 'count: must be at most 7'],
      [{ ...base, duration_minutes: 5 }, 'duration_minutes: must be at least 15'],
      [{ ...base, title: '' }, 'title: must not be empty'],
    ];
    for (const [body, message] of cases) {
      const res = await postJson(sandbox.url, '/api/calendar/events', body, { key: newKey() });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(message);
    }
    expect((await getJson(sandbox.url, '/api/calendar/events?week_start=2030-01-08')).status).toBe(400);
  });
});

describe('groceries', () => {
  it('plans quantities that scale with days and people', async () => {
    const small = await postJson(sandbox.url, '/api/groceries/plan', { days: 1, people: 1 });
    const big = await postJson(sandbox.url, '/api/groceries/plan', { days: 7, people: 4 });
    expect(small.status).toBe(200);
    expect(big.body.items.length).toBeGreaterThanOrEqual(8);
    const eggs = (items: Array<{ name: string; quantity: number }>) => items.find((i) => i.name === 'Eggs')!.quantity;
    expect(eggs(big.body.items)).toBeGreaterThan(eggs(small.body.items));
    for (const item of big.body.items) expect(item.quantity).toBeGreaterThan(0);
  });

  it('answers the same plan for the same key and 409 for another body', async () => {
    const key = newKey('groceries');
    const first = await postJson(sandbox.url, '/api/groceries/plan', { days: 3, people: 2 }, { key });
    const again = await postJson(sandbox.url, '/api/groceries/plan', { days: 3, people: 2 }, { key });
    expect(again.body).toEqual(first.body);
    const conflict = await postJson(sandbox.url, '/api/groceries/plan', { days: 4, people: 2 }, { key });
    expect(conflict.status).toBe(409);
    const bad = await postJson(sandbox.url, '/api/groceries/plan', { days: 15, people: 2 });
    expect(bad.body).toEqual({ success: false, message: 'days: must be at most 14' });
  });
});
