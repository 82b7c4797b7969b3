// The console's pure helpers, straight from the files the channel serves (no browser needed).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  address, atLeast, bytes, field, filterLogLines, parseLogLine, relativeTime, route, skippedReason,
  tokenFromFragment,
} from '../../../main/resources/console/format.js';

test('the token is read from the fragment alone, also among other parameters', () => {
  assert.equal(tokenFromFragment('#token=abc'), 'abc');
  assert.equal(tokenFromFragment('#view=x&token=a%2Bb%3D'), 'a+b=');
  assert.equal(tokenFromFragment('#token='), null);
  assert.equal(tokenFromFragment('#/sessions'), null);
  assert.equal(tokenFromFragment(''), null);
});

test('log lines: the channel format and the API description format, stack traces kept with their line', () => {
  const line = parseLogLine('2026-12-01T10:00:00.123Z WARN  [Camel thread #5] d.e.a.AgentClient - support@acme.test: agent unavailable');
  assert.equal(line.level, 'WARN');
  assert.equal(line.time, '2026-12-01T10:00:00.123Z');
  assert.match(line.text, /agent unavailable$/);
  assert.equal(parseLogLine('2026-12-01 10:00:00.123 INFO  ... message').level, 'INFO');
  assert.equal(parseLogLine('2026-12-01 10:00:00.123 ERROR x - boom\n\tat a.b.C(C.java:1)').text, 'x - boom\n\tat a.b.C(C.java:1)');
  assert.equal(parseLogLine('no level here').level, null);
  // "INFO" inside a long message is not taken for the level
  assert.equal(parseLogLine('a message that mentions the word INFO somewhere far into its text').level, null);
});

test('log filters: minimum level, mailbox and text, case-insensitive', () => {
  const lines = [
    '2026-12-01T10:00:00Z INFO  [t] X - Support@Acme.test: delivered',
    '2026-12-01T10:00:01Z WARN  [t] X - sales@acme.test: agent unavailable',
    '2026-12-01T10:00:02Z ERROR [t] X - support@acme.test: IMAP sign-in failed',
    '2026-12-01T10:00:03Z DEBUG [t] X - polling',
  ];
  assert.equal(filterLogLines(lines, {}).length, 4);
  assert.deepEqual(filterLogLines(lines, { level: 'WARN' }).map((l) => l.level), ['WARN', 'ERROR']);
  assert.equal(filterLogLines(lines, { mailbox: 'support@acme.test' }).length, 2);
  assert.equal(filterLogLines(lines, { mailbox: 'support@acme.test', level: 'ERROR' }).length, 1);
  assert.equal(filterLogLines(lines, { text: 'UNAVAILABLE' }).length, 1);
  assert.equal(atLeast(null, 'INFO'), false);
  assert.equal(atLeast(null, ''), true);
});

test('routes of the location hash', () => {
  assert.deepEqual(route(''), { view: 'connection', id: null });
  assert.deepEqual(route('#/sessions'), { view: 'sessions', id: null });
  assert.deepEqual(route('#/sessions/a%2Fb'), { view: 'sessions', id: 'a/b' });
  assert.deepEqual(route('#/nothing'), { view: 'connection', id: null });
  assert.deepEqual(route('#/logs?x=1'), { view: 'logs', id: null });
});

test('formats: times, sizes, skip reasons, addresses, renamed fields', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  assert.equal(relativeTime('2026-12-01T09:59:48Z', now), '12 s ago');
  assert.equal(relativeTime('2026-12-01T09:57:00Z', now), '3 min ago');
  assert.equal(relativeTime('2026-12-01T10:00:40Z', now), 'in 40 s');
  assert.equal(relativeTime('2026-11-28T10:00:00Z', now), '3 d ago');
  assert.equal(relativeTime(null, now), '');
  assert.equal(bytes(980), '980 B');
  assert.equal(bytes(12345), '12.3 kB');
  assert.equal(bytes(20000000), '20.0 MB');
  assert.match(skippedReason('too_large'), /^too large/);
  assert.equal(skippedReason('something_new'), 'something new');
  assert.equal(address({ address: 'jane@example.com', name: 'Jane Doe' }), 'Jane Doe <jane@example.com>');
  assert.equal(address('a@b.test'), 'a@b.test');
  assert.equal(address([{ address: 'a@b.test' }, 'c@d.test']), 'a@b.test, c@d.test');
  assert.equal(field({ created_at: 'x' }, 'at', 'created_at'), 'x');
  assert.equal(field({ at: 'y', created_at: 'x' }, 'at', 'created_at'), 'y');
  assert.equal(field({}, 'at'), null);
});
