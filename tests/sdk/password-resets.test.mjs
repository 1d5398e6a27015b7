// Password resets: client.passwordResets.create / update.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import {
  expectNoRetriableAnswers,
  expectSpreeError,
  PASSWORD,
  registerCustomer,
  storeClient,
  uniqueEmail,
} from './helpers.mjs';

afterEach(expectNoRetriableAnswers);

const ACCEPTED = {
  message: 'If an account exists for that email, password reset instructions have been sent.',
};

describe('password resets (client.passwordResets)', () => {
  test('accepts a request with 202 whether or not the account exists', async () => {
    const { client, lastResponse } = storeClient();
    const { email } = await registerCustomer(client);

    for (const address of [email, uniqueEmail('nobody')]) {
      assert.deepEqual(await client.passwordResets.create({ email: address }), ACCEPTED);
      assert.equal(lastResponse().status, 202);
    }
  });

  test('refuses an unknown reset token with 422 password_reset_token_invalid', async () => {
    const { client } = storeClient();

    await expectSpreeError(
      client.passwordResets.update('not-a-reset-token', {
        password: PASSWORD,
        password_confirmation: PASSWORD,
      }),
      { code: 'password_reset_token_invalid', status: 422 },
    );
  });
});
