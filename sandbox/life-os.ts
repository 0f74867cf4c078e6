/**
 * Life-OS endpoints: job search, CV tailoring, job applications, calendar events and grocery
 * plans. Writes go through the shared idempotency helper.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { findSlots, mondayStart, weekEnd, type Interval } from './calendar-slots.js';
import { findJob, planGroceries, searchJobs, tailorCv } from './catalog.js';
import type { SandboxDb } from './db.js';
import { errorBody, optionalIdempotencyKey, parseWith, readJson, requireIdempotencyKey, SandboxError } from './http.js';
import { createIdempotentWrite, sendOutcome, type StoredResponse } from './idempotency.js';

const jobId = z.string().min(1).max(64);
const jobIds = z
  .array(jobId)
  .min(1)
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a job id');

const SearchSchema = z.object({
  query: z.string().trim().min(1).max(200),
  count: z.number().int().min(1).max(20).default(5),
});
const TailorSchema = z.object({ job_ids: jobIds });
const ApplySchema = z
  .object({ job_ids: jobIds, cv_ids: z.array(z.string().min(1).max(80)).max(20).optional() })
  .refine((b) => b.cv_ids === undefined || b.cv_ids.length === b.job_ids.length, {
    path: ['cv_ids'],
    message: 'must have one entry per job id',
  });
const weekStart = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => mondayStart(v) !== undefined, 'must be a Monday (YYYY-MM-DD)');
const CalendarSchema = z.object({
  title: z.string().trim().min(1).max(100),
  count: z.number().int().min(1).max(7),
  week_start: weekStart,
  duration_minutes: z.number().int().min(15).max(240),
});
const GroceriesSchema = z.object({ days: z.number().int().min(1).max(14), people: z.number().int().min(1).max(12) });

interface ApplicationRow {
  id: string;
  idempotency_key: string;
  job_id: string;
  cv_id: string | null;
  status: string;
  created_at: string;
}

interface EventRow {
  id: string;
  title: string;
  start_at: string;
  end_at: string;
  duration_minutes: number;
}

function applicationView(a: ApplicationRow) {
  return {
    application_id: a.id,
    idempotency_key: a.idempotency_key,
    job_id: a.job_id,
    cv_id: a.cv_id,
    status: a.status,
    created_at: a.created_at,
  };
}

function eventView(e: EventRow) {
  return { event_id: e.id, title: e.title, start: e.start_at, end: e.end_at, duration_minutes: e.duration_minutes };
}

export function lifeOsRoutes(db: SandboxDb) {
  const idempotentWrite = createIdempotentWrite(db);
  const insertApplication = db.prepare(
    'INSERT INTO applications (id, idempotency_key, job_id, cv_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const listApplications = db.prepare<[], ApplicationRow>(
    'SELECT id, idempotency_key, job_id, cv_id, status, created_at FROM applications ORDER BY seq DESC LIMIT 500',
  );
  const insertEvent = db.prepare(
    'INSERT INTO calendar_events (id, idempotency_key, title, start_at, end_at, duration_minutes, created_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const eventsBetween = db.prepare<[string, string], EventRow>(
    'SELECT id, title, start_at, end_at, duration_minutes FROM calendar_events ' +
      'WHERE start_at < ? AND end_at > ? ORDER BY start_at, seq',
  );

  function apply(key: string, ids: string[], cvIds: string[] | undefined): StoredResponse {
    const unknown = ids.find((id) => !findJob(id));
    if (unknown) return { status: 404, body: errorBody(`Unknown job: ${unknown}`) };
    const now = new Date().toISOString();
    const applications = ids.map((job_id, i) => {
      const row: ApplicationRow = {
        id: randomUUID(),
        idempotency_key: key,
        job_id,
        cv_id: cvIds?.[i] ?? null,
        status: 'submitted',
        created_at: now,
      };
      insertApplication.run(row.id, key, row.job_id, row.cv_id, row.status, row.created_at);
      return applicationView(row);
    });
    return { status: 200, body: { success: true, message: `Submitted ${ids.length} application(s)`, applications } };
  }

  function busyIntervals(from: number, to: number): Interval[] {
    return eventsBetween
      .all(new Date(to).toISOString(), new Date(from).toISOString())
      .map((e) => ({ start: Date.parse(e.start_at), end: Date.parse(e.end_at) }));
  }

  function schedule(key: string, body: z.output<typeof CalendarSchema>): StoredResponse {
    const from = mondayStart(body.week_start)!;
    const slots = findSlots(from, body.count, body.duration_minutes, busyIntervals(from, weekEnd(from)));
    if (!slots) {
      return {
        status: 422,
        body: errorBody(
          `No free slots in the week of ${body.week_start} ` +
            `for ${body.count} events of ${body.duration_minutes} minutes`,
        ),
      };
    }
    const now = new Date().toISOString();
    const events = slots.map((s) => {
      const row: EventRow = {
        id: randomUUID(),
        title: body.title,
        start_at: new Date(s.start).toISOString(),
        end_at: new Date(s.end).toISOString(),
        duration_minutes: body.duration_minutes,
      };
      insertEvent.run(row.id, key, row.title, row.start_at, row.end_at, row.duration_minutes, now);
      return eventView(row);
    });
    return {
      status: 200,
      body: {
        success: true,
        message: `Scheduled ${events.length} × ${body.title} in the week of ${body.week_start}`,
        events,
      },
    };
  }

  return new Hono()
    .post('/jobs/search', async (c) => {
      const body = parseWith(SearchSchema, await readJson(c));
      const jobs = searchJobs(body.query, body.count);
      return c.json({ query: body.query, total: jobs.length, jobs });
    })
    .post('/cv/tailor', async (c) => {
      const body = parseWith(TailorSchema, await readJson(c));
      const unknown = body.job_ids.find((id) => !findJob(id));
      if (unknown) throw new SandboxError(404, `Unknown job: ${unknown}`);
      return c.json({ cvs: body.job_ids.map((id) => tailorCv(findJob(id)!)) });
    })
    .post('/applications', async (c) => {
      const body = parseWith(ApplySchema, await readJson(c));
      const key = requireIdempotencyKey(c);
      const outcome = idempotentWrite('applications', key, body, () => apply(key, body.job_ids, body.cv_ids));
      return sendOutcome(c, outcome);
    })
    .get('/applications', (c) => c.json({ applications: listApplications.all().map(applicationView) }))
    .post('/calendar/events', async (c) => {
      const body = parseWith(CalendarSchema, await readJson(c));
      const key = requireIdempotencyKey(c);
      return sendOutcome(
        c,
        idempotentWrite('calendar', key, body, () => schedule(key, body)),
      );
    })
    .get('/calendar/events', (c) => {
      const query = parseWith(z.object({ week_start: weekStart }), { week_start: c.req.query('week_start') });
      const from = mondayStart(query.week_start)!;
      const rows = eventsBetween.all(new Date(weekEnd(from)).toISOString(), new Date(from).toISOString());
      return c.json({ week_start: query.week_start, events: rows.map(eventView) });
    })
    .post('/groceries/plan', async (c) => {
      const body = parseWith(GroceriesSchema, await readJson(c));
      const key = optionalIdempotencyKey(c);
      const plan = (): StoredResponse => ({
        status: 200,
        body: {
          plan_id: randomUUID(),
          days: body.days,
          people: body.people,
          items: planGroceries(body.days, body.people),
        },
      });
      if (key === undefined) {
        const { status, body: planBody } = plan();
        return c.json(planBody, status);
      }
      return sendOutcome(c, idempotentWrite('groceries', key, body, plan));
    });
}
