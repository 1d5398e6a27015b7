// Shared pieces of the SDK suite: a client for the live server, schema checks, error checks.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { createClient, SpreeError } from '@spree/sdk';
import { CustomerSchema } from '@spree/sdk/zod';
import { z } from 'zod';

const BASE_URL = requiredEnv('SPREE_BASE_URL');
const PUBLISHABLE_KEY = requiredEnv('SPREE_PUBLISHABLE_KEY');

export const PASSWORD = 'correct horse battery';

// Answers the SDK retries past (5xx, 429) would otherwise never reach an assertion.
const retriedAnswers = [];

// The SDK 1.2.1 types `AuthTokens` but ships no schema for it; the user is a full Customer.
export const AuthTokensSchema = z.object({
  token: z.string().min(1),
  refresh_token: z.string().min(1),
  user: CustomerSchema,
});

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite through tests/sdk/test_sdk_suite.py`);
  }
  return value;
}

/**
 * A real SDK client whose fetch remembers every response, so tests can assert the status and
 * headers the typed methods hide (201, 202, 204, Idempotent-Replayed).
 */
export function storeClient({ publishableKey = PUBLISHABLE_KEY } = {}) {
  const responses = [];
  const recordingFetch = async (url, init) => {
    const response = await fetch(url, init);
    const { status, headers } = response;
    responses.push({ method: init.method, url: String(url), status, headers });
    if (status >= 500 || status === 429) {
      retriedAnswers.push(`${init.method} ${url} -> ${status}`);
    }
    return response;
  };
  const client = createClient({ baseUrl: BASE_URL, publishableKey, fetch: recordingFetch });
  return { client, lastResponse: () => responses.at(-1) };
}

/** Fails if any call since the last check got a 5xx or 429; use it in `afterEach`. */
export function expectNoRetriableAnswers() {
  assert.deepEqual(retriedAnswers.splice(0), [], 'the server answered 5xx or 429');
}

/** Parses `value` with a schema of `@spree/sdk/zod`; on mismatch fails with every zod issue. */
export function expectSchema(schema, value) {
  const result = schema.safeParse(value);
  if (!result.success) {
    assert.fail(
      `response does not match the schema:\n${JSON.stringify(result.error.issues, null, 2)}\n` +
        `response:\n${JSON.stringify(value, null, 2)}`,
    );
  }
  return result.data;
}

/** Awaits a call that must fail with a SpreeError of this code and status; returns the error. */
export async function expectSpreeError(promise, { code, status }) {
  let value;
  try {
    value = await promise;
  } catch (error) {
    if (!(error instanceof SpreeError)) {
      throw error;
    }
    assert.deepEqual(
      { code: error.code, status: error.status },
      { code, status },
      `unexpected error: ${error.message} ${JSON.stringify(error.details ?? {})}`,
    );
    assert.ok(error.message, 'the error envelope has no message');
    return error;
  }
  assert.fail(`expected ${status} ${code}, got success: ${JSON.stringify(value)}`);
}

export function uniqueEmail(label = 'shopper') {
  return `sdk-${label}-${randomUUID()}@example.com`;
}

/** Registers a new customer (password PASSWORD) through the SDK; returns email and tokens. */
export async function registerCustomer(client, fields = {}) {
  const email = fields.email ?? uniqueEmail();
  const tokens = await client.customers.create({
    email,
    password: PASSWORD,
    password_confirmation: PASSWORD,
    first_name: 'Ada',
    last_name: 'Lovelace',
    ...fields,
  });
  expectSchema(AuthTokensSchema, tokens);
  return { email, tokens };
}
