// Registration, login, refresh-token rotation and logout, driven through @spree/sdk.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';

import { CustomerSchema } from '@spree/sdk/zod';

import {
  AuthTokensSchema,
  expectNoRetriableAnswers,
  expectSchema,
  expectSpreeError,
  PASSWORD,
  registerCustomer,
  storeClient,
  uniqueEmail,
} from './helpers.mjs';

afterEach(expectNoRetriableAnswers);

describe('registration (client.customers.create)', () => {
  test('creates the customer, signs them in and answers 201', async () => {
    const { client, lastResponse } = storeClient();
    const email = uniqueEmail('register');

    const tokens = await client.customers.create({
      email,
      password: PASSWORD,
      password_confirmation: PASSWORD,
      first_name: 'Ada',
      last_name: 'Lovelace',
    });

    assert.equal(lastResponse().status, 201);
    const { user } = expectSchema(AuthTokensSchema, tokens);
    assert.match(user.id, /^cus_[0-9A-Za-z]{10,}$/);
    assert.equal(user.email, email);
    assert.equal(user.first_name, 'Ada');
    assert.equal(user.last_name, 'Lovelace');
    assert.equal(user.full_name, 'Ada Lovelace');
    assert.equal(user.accepts_email_marketing, false);
    assert.deepEqual(user.addresses, []);
    const me = await client.customer.get({ token: tokens.token });
    assert.equal(expectSchema(CustomerSchema, me).id, user.id);
  });

  test('refuses an email that is already taken with 422 validation_error', async () => {
    const { client } = storeClient();
    const { email } = await registerCustomer(client);

    for (const duplicate of [email, email.toUpperCase()]) {
      const error = await expectSpreeError(
        client.customers.create({
          email: duplicate,
          password: PASSWORD,
          password_confirmation: PASSWORD,
        }),
        { code: 'validation_error', status: 422 },
      );
      assert.deepEqual(error.details?.email, ['has already been taken']);
    }
  });

  test('keeps the seed alias POST /auth/register working', async () => {
    const { client, lastResponse } = storeClient();
    const email = uniqueEmail('alias');

    const tokens = await client.request('POST', '/auth/register', {
      body: { email, password: PASSWORD, password_confirmation: PASSWORD },
    });

    assert.equal(lastResponse().status, 201);
    assert.equal(expectSchema(AuthTokensSchema, tokens).user.email, email);
  });
});

describe('login (client.auth.login)', () => {
  test('returns tokens and the same customer', async () => {
    const { client, lastResponse } = storeClient();
    const { email, tokens: registered } = await registerCustomer(client);

    const tokens = await client.auth.login({ email, password: PASSWORD });

    assert.equal(lastResponse().status, 200);
    const { user } = expectSchema(AuthTokensSchema, tokens);
    assert.equal(user.id, registered.user.id);
    assert.notEqual(tokens.refresh_token, registered.refresh_token);
    const me = expectSchema(CustomerSchema, await client.customer.get({ token: tokens.token }));
    assert.equal(me.email, email);
  });

  test('refuses a wrong password and an unknown email alike (401)', async () => {
    const { client } = storeClient();
    const { email } = await registerCustomer(client);

    const wrongPassword = await expectSpreeError(
      client.auth.login({ email, password: 'not the password' }),
      { code: 'authentication_failed', status: 401 },
    );
    const unknownEmail = await expectSpreeError(
      client.auth.login({ email: uniqueEmail('nobody'), password: PASSWORD }),
      { code: 'authentication_failed', status: 401 },
    );
    assert.equal(unknownEmail.message, wrongPassword.message);
  });

  test('refuses a bogus publishable key with 401 invalid_token', async () => {
    const { client } = storeClient({ publishableKey: 'pk_bogus0000000000000000000' });

    await expectSpreeError(client.auth.login({ email: uniqueEmail(), password: PASSWORD }), {
      code: 'invalid_token',
      status: 401,
    });
  });
});

describe('refresh (client.auth.refresh)', () => {
  test('rotates the refresh token and issues a working access token', async () => {
    const { client } = storeClient();
    const { tokens: first } = await registerCustomer(client);

    const second = expectSchema(
      AuthTokensSchema,
      await client.auth.refresh({ refresh_token: first.refresh_token }),
    );

    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(second.user.id, first.user.id);
    const me = await client.customer.get({ token: second.token });
    assert.equal(expectSchema(CustomerSchema, me).id, first.user.id);
  });

  test('treats a retired refresh token as theft and ends the whole session', async () => {
    const { client } = storeClient();
    const { tokens: first } = await registerCustomer(client);
    const second = await client.auth.refresh({ refresh_token: first.refresh_token });

    await expectSpreeError(client.auth.refresh({ refresh_token: first.refresh_token }), {
      code: 'invalid_refresh_token',
      status: 401,
    });

    // OUR_CONTRACT.md: reuse revokes the session, so the rotated token and its JWT die too.
    await expectSpreeError(client.auth.refresh({ refresh_token: second.refresh_token }), {
      code: 'invalid_refresh_token',
      status: 401,
    });
    await expectSpreeError(client.customer.get({ token: second.token }), {
      code: 'authentication_required',
      status: 401,
    });
  });

  test('replays a refresh retried with its Idempotency-Key instead of seeing reuse', async () => {
    const { client, lastResponse } = storeClient();
    const { tokens: first } = await registerCustomer(client);
    const idempotencyKey = `sdk-suite-${randomUUID()}`;
    const params = { refresh_token: first.refresh_token };

    const original = await client.auth.refresh(params, { idempotencyKey });
    const retried = await client.auth.refresh(params, { idempotencyKey });

    assert.equal(lastResponse().headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(retried, original);
    const third = await client.auth.refresh({ refresh_token: retried.refresh_token });
    expectSchema(AuthTokensSchema, third);
  });

  test('keeps the seed form {token}: a fresh access token in the same session', async () => {
    const { client } = storeClient();
    const { tokens: first } = await registerCustomer(client);

    const exchanged = await client.auth.refresh({ token: first.token });

    assert.equal(typeof exchanged.token, 'string');
    assert.equal(expectSchema(CustomerSchema, exchanged.user).id, first.user.id);
    const me = await client.customer.get({ token: exchanged.token });
    assert.equal(expectSchema(CustomerSchema, me).id, first.user.id);
  });

  test('refuses an unknown refresh token with 401 invalid_refresh_token', async () => {
    const { client } = storeClient();

    await expectSpreeError(client.auth.refresh({ refresh_token: 'not-a-refresh-token' }), {
      code: 'invalid_refresh_token',
      status: 401,
    });
  });
});

describe('logout (client.auth.logout)', () => {
  test('answers 204 and ends the session of the refresh token at once', async () => {
    const { client, lastResponse } = storeClient();
    const { tokens } = await registerCustomer(client);

    const result = await client.auth.logout({ refresh_token: tokens.refresh_token });

    assert.equal(result, undefined);
    assert.equal(lastResponse().status, 204);
    await expectSpreeError(client.customer.get({ token: tokens.token }), {
      code: 'authentication_required',
      status: 401,
    });
    await expectSpreeError(client.auth.refresh({ refresh_token: tokens.refresh_token }), {
      code: 'invalid_refresh_token',
      status: 401,
    });
  });

  test('answers 204 to an unknown refresh token', async () => {
    const { client, lastResponse } = storeClient();

    assert.equal(await client.auth.logout({ refresh_token: 'not-a-refresh-token' }), undefined);
    assert.equal(lastResponse().status, 204);
  });
});
