import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const STAFF_ROLES = ['viewer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * People who sign in to /admin. The email is stored lower-cased (and the check keeps it so), so the
 * unique constraint is case-insensitive without a functional index. Staff are disabled, never deleted:
 * the audit log keeps pointing at them.
 */
export const staff = pgTable(
  'staff',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [
    check('staff_email_lower', sql`${t.email} = lower(${t.email})`),
    check('staff_role_known', sql`${t.role} in ('viewer', 'admin')`),
  ],
);

/**
 * Signed-in browsers. Only the SHA-256 of the cookie token is stored, so a leaked table (backup, log,
 * read-only SQL access) cannot be replayed as a session.
 */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    staffId: bigint('staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('staff_sessions_staff_id_idx').on(t.staffId)],
);

/**
 * Sign-in attempts, in the database rather than in memory so the limits hold across instances and
 * restarts. `email` is what was typed (lower-cased), whether or not such staff exist.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    success: boolean('success').notNull(),
  },
  (t) => [
    index('login_attempts_email_at_idx').on(t.email, t.at),
    index('login_attempts_ip_at_idx').on(t.ip, t.at),
    index('login_attempts_at_idx').on(t.at),
  ],
);

/**
 * Who did what, append-only: a trigger (migration `audit_append_only`) rejects UPDATE, DELETE and
 * TRUNCATE, so not even a bug or a stray SQL console can rewrite history.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorStaffId: bigint('actor_staff_id', { mode: 'number' }).references(() => staff.id),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    // One bill's (or staff member's) trail on its page, newest first.
    index('audit_log_subject_idx').on(t.subjectType, t.subjectId, t.id),
  ],
);
