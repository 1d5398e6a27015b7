// The signed-in customer's profile: client.customer.get / client.customer.update.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { CustomerSchema } from '@spree/sdk/zod';

import {
  expectNoRetriableAnswers,
  expectSchema,
  expectSpreeError,
  PASSWORD,
  registerCustomer,
  storeClient,
} from './helpers.mjs';

afterEach(expectNoRetriableAnswers);

const NEW_PASSWORD = 'a brand new passphrase';

describe('profile (client.customer.get)', () => {
  test('returns the signed-in customer', async () => {
    const { client } = storeClient();
    const { email, tokens } = await registerCustomer(client, { phone: '+1 555 0100' });

    const me = expectSchema(CustomerSchema, await client.customer.get({ token: tokens.token }));

    assert.equal(me.id, tokens.user.id);
    assert.equal(me.email, email);
    assert.equal(me.phone, '+1 555 0100');
    assert.equal(me.default_billing_address, null);
    assert.equal(me.default_shipping_address, null);
    assert.deepEqual(me.customer_groups, []);
  });

  test('refuses a guest with 401 authentication_required', async () => {
    const { client } = storeClient();

    await expectSpreeError(client.customer.get(), { code: 'authentication_required', status: 401 });
    await expectSpreeError(client.customer.get({ token: 'not.a.jwt' }), {
      code: 'authentication_required',
      status: 401,
    });
  });
});

describe('profile changes (client.customer.update)', () => {
  test('updates the name and returns the customer', async () => {
    const { client } = storeClient();
    const { tokens } = await registerCustomer(client);

    const updated = await client.customer.update(
      { first_name: 'Grace', last_name: 'Hopper' },
      { token: tokens.token },
    );

    const customer = expectSchema(CustomerSchema, updated);
    assert.equal(customer.first_name, 'Grace');
    assert.equal(customer.full_name, 'Grace Hopper');
    const me = expectSchema(CustomerSchema, await client.customer.get({ token: tokens.token }));
    assert.equal(me.last_name, 'Hopper');
  });

  test('refuses a password change without the right current password', async () => {
    const { client } = storeClient();
    const { email, tokens } = await registerCustomer(client);
    const change = { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD };

    for (const current_password of [undefined, 'not the password']) {
      await expectSpreeError(
        client.customer.update({ ...change, current_password }, { token: tokens.token }),
        { code: 'current_password_invalid', status: 422 },
      );
    }
    expectSchema(CustomerSchema, (await client.auth.login({ email, password: PASSWORD })).user);
  });

  test('changes the password and ends every other session', async () => {
    const { client } = storeClient();
    const { email, tokens: current } = await registerCustomer(client);
    const other = await client.auth.login({ email, password: PASSWORD });

    const updated = await client.customer.update(
      { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD, current_password: PASSWORD },
      { token: current.token },
    );

    expectSchema(CustomerSchema, updated);
    await expectSpreeError(client.auth.login({ email, password: PASSWORD }), {
      code: 'authentication_failed',
      status: 401,
    });
    expectSchema(CustomerSchema, (await client.auth.login({ email, password: NEW_PASSWORD })).user);
    expectSchema(CustomerSchema, await client.customer.get({ token: current.token }));
    await expectSpreeError(client.customer.get({ token: other.token }), {
      code: 'authentication_required',
      status: 401,
    });
    await expectSpreeError(client.auth.refresh({ refresh_token: other.refresh_token }), {
      code: 'invalid_refresh_token',
      status: 401,
    });
  });
});
