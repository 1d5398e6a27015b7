// Payments through the SDK: client.carts.paymentSessions.*, client.customer.paymentSetupSessions.*,
// client.customer.creditCards.*, client.carts.storeCredits.* / giftCards.*, and the customer's
// client.customer.storeCredits / giftCards, every answer checked with @spree/sdk/zod.
//
// The harness (test_sdk_suite.py) seeds the demo catalog, checkout and payments
// (payments/demo.py): the test card gateway (SPREE_DEMO_BOGUS_PAYMENT_METHOD_ID, tokens
// tok_visa / tok_declined), the test wallet, and for the customer SPREE_DEMO_PAYER_EMAIL a
// 20.00 USD store credit and the 25.00 USD gift card SPREE_DEMO_GIFT_CARD_CODE.
import assert from 'node:assert/strict';
import { afterEach, before, describe, test } from 'node:test';

import {
  CartSchema,
  CreditCardSchema,
  CustomerSchema,
  GiftCardSchema,
  OrderSchema,
  PaymentSessionSchema,
  PaymentSetupSessionSchema,
  StoreCreditSchema,
} from '@spree/sdk/zod';
import { z } from 'zod';

import {
  expectNoRetriableAnswers,
  expectSchema,
  expectSpreeError,
  registerCustomer,
  storeClient,
} from './helpers.mjs';

afterEach(expectNoRetriableAnswers);

const DEMO = {
  variantId: process.env.SPREE_DEMO_VARIANT_ID,
  bogusId: process.env.SPREE_DEMO_BOGUS_PAYMENT_METHOD_ID,
  walletId: process.env.SPREE_DEMO_WALLET_PAYMENT_METHOD_ID,
  giftCardCode: process.env.SPREE_DEMO_GIFT_CARD_CODE,
  payerEmail: process.env.SPREE_DEMO_PAYER_EMAIL,
  payerPassword: process.env.SPREE_DEMO_PAYER_PASSWORD,
};

const US_ADDRESS = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  address1: '350 Fifth Avenue',
  city: 'New York',
  postal_code: '10118',
  state_abbr: 'NY',
  country_iso: 'US',
  phone: '+1 555 0100',
};

// Every key of the SDK schemas and nothing else: zod objects strip unknown keys silently.
const StrictSessionSchema = PaymentSessionSchema.strict();
const StrictSetupSchema = PaymentSetupSessionSchema.strict();
const StrictCardSchema = CreditCardSchema.strict();
const StrictCreditSchema = StoreCreditSchema.strict();
const StrictGiftCardSchema = GiftCardSchema.strict();
const pageOf = (schema) => z.object({ data: z.array(schema), meta: z.object({ count: z.number() }).passthrough() }).strict();

before(() => {
  for (const [name, value] of Object.entries(DEMO)) {
    assert.ok(value, `the demo ${name} is not set: run the suite through tests/sdk/test_sdk_suite.py`);
  }
});

async function signedIn() {
  const { client, lastResponse } = storeClient();
  const { tokens } = await registerCustomer(client);
  return { client, lastResponse, auth: { token: tokens.token } };
}

async function payer() {
  const { client, lastResponse } = storeClient();
  const tokens = await client.auth.login({ email: DEMO.payerEmail, password: DEMO.payerPassword });
  return { client, lastResponse, auth: { token: tokens.token } };
}

/** A cart of the signed-in customer at the payment step: `quantity` T-shirts + 5.00 delivery. */
async function readyCart(client, auth, quantity) {
  let cart = expectSchema(CartSchema, await client.carts.create({}, auth));
  cart = expectSchema(CartSchema, await client.carts.items.create(cart.id, { variant_id: DEMO.variantId, quantity }, auth));
  cart = expectSchema(
    CartSchema,
    await client.carts.update(cart.id, { email: 'ada@example.com', shipping_address: US_ADDRESS, use_shipping: true }, auth),
  );
  assert.equal(cart.current_step, 'payment');
  return cart;
}

async function payBySession(client, auth, cart) {
  const session = expectSchema(
    StrictSessionSchema,
    await client.carts.paymentSessions.create(cart.id, { payment_method_id: DEMO.bogusId }, auth),
  );
  return expectSchema(
    StrictSessionSchema,
    await client.carts.paymentSessions.complete(cart.id, session.id, { external_data: { token: 'tok_visa' } }, auth),
  );
}

describe('paying a cart by payment session (client.carts.paymentSessions.*)', () => {
  test('create, get, update, a declined card, complete, then complete the cart', async () => {
    const { client, lastResponse, auth } = await signedIn();
    const cart = await readyCart(client, auth, 1);
    assert.equal(cart.total, '30.00');
    const bogus = cart.payment_methods.find((m) => m.id === DEMO.bogusId);
    assert.deepEqual([bogus.session_required, bogus.source_required], [true, false]);

    // create: pending, for the amount due
    const session = expectSchema(
      StrictSessionSchema,
      await client.carts.paymentSessions.create(cart.id, { payment_method_id: DEMO.bogusId }, auth),
    );
    assert.equal(lastResponse().status, 201);
    assert.match(session.id, /^ps_/);
    assert.deepEqual(
      [session.status, session.amount, session.currency, session.payment_method_id, session.payment],
      ['pending', '30.00', 'USD', DEMO.bogusId, undefined],
    );
    assert.equal(session.order_id, cart.id.replace(/^cart_/, 'or_'));

    // get: by our id and by the provider's id
    const byId = expectSchema(StrictSessionSchema, await client.carts.paymentSessions.get(cart.id, session.id, auth));
    const byExternalId = expectSchema(
      StrictSessionSchema,
      await client.carts.paymentSessions.get(cart.id, session.external_id, auth),
    );
    assert.deepEqual(byId, session);
    assert.deepEqual(byExternalId, session);

    // update
    const updated = expectSchema(
      StrictSessionSchema,
      await client.carts.paymentSessions.update(cart.id, session.id, { amount: '30.00', external_data: { note: 'sdk' } }, auth),
    );
    assert.deepEqual(updated.external_data, { note: 'sdk' });

    // a session cannot be bypassed with a plain payment
    await expectSpreeError(client.carts.payments.create(cart.id, { payment_method_id: DEMO.bogusId }, auth), {
      code: 'payment_session_required',
      status: 422,
    });

    // a declined card fails this session and records no payment
    await expectSpreeError(
      client.carts.paymentSessions.complete(cart.id, session.id, { external_data: { token: 'tok_declined' } }, auth),
      { code: 'gateway_error', status: 422 },
    );
    const failed = expectSchema(StrictSessionSchema, await client.carts.paymentSessions.get(cart.id, session.id, auth));
    assert.equal(failed.status, 'failed');
    assert.deepEqual(expectSchema(CartSchema, await client.carts.get(cart.id, auth)).payments, []);

    // a new session with a good card completes, and completing again changes nothing
    const paid = await payBySession(client, auth, cart);
    assert.equal(paid.status, 'completed');
    assert.deepEqual(
      [paid.payment.status, paid.payment.amount, paid.payment.source_type, paid.payment.source.last4],
      ['completed', '30.00', 'credit_card', '4242'],
    );
    const again = expectSchema(
      StrictSessionSchema,
      await client.carts.paymentSessions.complete(cart.id, paid.id, { external_data: { token: 'tok_visa' } }, auth),
    );
    assert.deepEqual(again, paid);

    const ready = expectSchema(CartSchema, await client.carts.get(cart.id, auth));
    assert.deepEqual([ready.current_step, ready.payments.length], ['complete', 1]);
    const order = expectSchema(OrderSchema, await client.carts.complete(cart.id, auth));
    assert.match(order.id, /^or_/);
    assert.deepEqual([order.payment_status, order.total, order.payments[0].id], ['paid', '30.00', paid.payment.id]);
  });

  test("another customer's session of a cart is out of reach", async () => {
    const owner = await signedIn();
    const cart = await readyCart(owner.client, owner.auth, 1);
    const session = await owner.client.carts.paymentSessions.create(cart.id, { payment_method_id: DEMO.bogusId }, owner.auth);
    const stranger = await signedIn();

    await expectSpreeError(stranger.client.carts.paymentSessions.get(cart.id, session.id, stranger.auth), {
      code: 'access_denied',
      status: 403,
    });
    await expectSpreeError(owner.client.carts.paymentSessions.get(cart.id, 'ps_nope', owner.auth), {
      code: 'record_not_found',
      status: 404,
    });
  });
});

describe('saving a card (client.customer.paymentSetupSessions.*, client.customer.creditCards.*)', () => {
  test('create, get and complete a setup session, then list, get and delete the card', async () => {
    const { client, lastResponse, auth } = await signedIn();

    const setup = expectSchema(
      StrictSetupSchema,
      await client.customer.paymentSetupSessions.create({ payment_method_id: DEMO.bogusId }, auth),
    );
    assert.equal(lastResponse().status, 201);
    assert.match(setup.id, /^pss_/);
    assert.deepEqual([setup.status, setup.payment_source_id, setup.payment_source_type], ['pending', null, null]);
    assert.match(setup.customer_id, /^cus_/);
    assert.deepEqual(
      expectSchema(StrictSetupSchema, await client.customer.paymentSetupSessions.get(setup.id, auth)),
      setup,
    );

    const done = expectSchema(
      StrictSetupSchema,
      await client.customer.paymentSetupSessions.complete(
        setup.id,
        { external_data: { token: 'tok_visa', exp_month: 4, exp_year: 2031, name: 'Ada Lovelace' } },
        auth,
      ),
    );
    assert.deepEqual([done.status, done.payment_source_type], ['completed', 'credit_card']);
    assert.match(done.payment_source_id, /^card_/);

    const cards = expectSchema(pageOf(StrictCardSchema), await client.customer.creditCards.list({}, auth));
    assert.deepEqual(
      cards.data.map((c) => [c.id, c.brand, c.last4, c.month, c.year, c.name, c.default]),
      [[done.payment_source_id, 'visa', '4242', 4, 2031, 'Ada Lovelace', true]],
    );
    const card = expectSchema(StrictCardSchema, await client.customer.creditCards.get(done.payment_source_id, auth));
    assert.deepEqual(card, cards.data[0]);

    await client.customer.creditCards.delete(card.id, auth);
    assert.equal(lastResponse().status, 204);
    assert.deepEqual(expectSchema(pageOf(StrictCardSchema), await client.customer.creditCards.list({}, auth)).data, []);
    await expectSpreeError(client.customer.creditCards.get(card.id, auth), { code: 'record_not_found', status: 404 });
  });

  test('a declined card saves nothing; the wallet saves a payment source', async () => {
    const { client, auth } = await signedIn();

    const declined = await client.customer.paymentSetupSessions.create({ payment_method_id: DEMO.bogusId }, auth);
    await expectSpreeError(
      client.customer.paymentSetupSessions.complete(declined.id, { external_data: { token: 'tok_declined' } }, auth),
      { code: 'gateway_error', status: 422 },
    );
    assert.equal((await client.customer.paymentSetupSessions.get(declined.id, auth)).status, 'failed');
    assert.deepEqual((await client.customer.creditCards.list({}, auth)).data, []);

    const wallet = await client.customer.paymentSetupSessions.create({ payment_method_id: DEMO.walletId }, auth);
    const saved = expectSchema(
      StrictSetupSchema,
      await client.customer.paymentSetupSessions.complete(wallet.id, { external_data: { email: 'ada@example.com' } }, auth),
    );
    assert.deepEqual([saved.status, saved.payment_source_type], ['completed', 'payment_source']);
    assert.match(saved.payment_source_id, /^ps_/);
  });

  test('card numbers are refused', async () => {
    const { client, auth } = await signedIn();

    const error = await expectSpreeError(
      client.customer.paymentSetupSessions.create(
        { payment_method_id: DEMO.bogusId, external_data: { number: '4242424242424242', cvc: '123' } },
        auth,
      ),
      { code: 'validation_error', status: 422 },
    );
    assert.deepEqual(error.details, { external_data: ['must not contain card numbers or security codes'] });
  });

  test("another customer's setup session and card are not found", async () => {
    const owner = await signedIn();
    const setup = await owner.client.customer.paymentSetupSessions.create({ payment_method_id: DEMO.bogusId }, owner.auth);
    const done = await owner.client.customer.paymentSetupSessions.complete(
      setup.id,
      { external_data: { token: 'tok_mastercard' } },
      owner.auth,
    );
    const stranger = await signedIn();

    await expectSpreeError(stranger.client.customer.paymentSetupSessions.get(setup.id, stranger.auth), {
      code: 'record_not_found',
      status: 404,
    });
    await expectSpreeError(stranger.client.customer.creditCards.delete(done.payment_source_id, stranger.auth), {
      code: 'record_not_found',
      status: 404,
    });
    assert.equal((await owner.client.customer.creditCards.list({}, owner.auth)).data.length, 1);
  });
});

describe('store credit and gift cards on a cart (client.carts.storeCredits / giftCards)', () => {
  test('apply and remove both, complete, and see the balances move', async () => {
    const { client, lastResponse, auth } = await payer();

    // the balances before
    const credits = expectSchema(pageOf(StrictCreditSchema), await client.customer.storeCredits.list({}, auth));
    assert.deepEqual(
      credits.data.map((c) => [c.amount, c.amount_used, c.amount_remaining, c.display_amount_remaining, c.currency]),
      [['20.00', '0.00', '20.00', '$20.00', 'USD']],
    );
    const credit = expectSchema(StrictCreditSchema, await client.customer.storeCredits.get(credits.data[0].id, auth));
    assert.match(credit.id, /^credit_/);
    const me = expectSchema(CustomerSchema, await client.customer.get(auth));
    assert.equal(me.available_store_credit_total, '20.00');
    const giftCards = expectSchema(pageOf(StrictGiftCardSchema), await client.customer.giftCards.list({}, auth));
    assert.deepEqual(
      giftCards.data.map((g) => [g.code, g.status, g.amount_remaining, g.active]),
      [[DEMO.giftCardCode, 'active', '25.00', true]],
    );
    const giftCardId = giftCards.data[0].id;
    assert.match(giftCardId, /^gc_/);

    let cart = await readyCart(client, auth, 2);
    assert.equal(cart.total, '55.00');

    // store credit: all that covers the cart, removed, an explicit amount, then all again
    cart = expectSchema(CartSchema, await client.carts.storeCredits.apply(cart.id, undefined, auth));
    assert.equal(lastResponse().status, 200);
    assert.deepEqual([cart.store_credit_total, cart.amount_due, cart.covered_by_store_credit], ['20.00', '35.00', false]);
    cart = expectSchema(CartSchema, await client.carts.storeCredits.remove(cart.id, auth));
    assert.deepEqual([cart.store_credit_total, cart.amount_due], ['0.00', '55.00']);
    cart = expectSchema(CartSchema, await client.carts.storeCredits.apply(cart.id, 5, auth));
    assert.deepEqual([cart.store_credit_total, cart.amount_due], ['5.00', '50.00']);
    cart = expectSchema(CartSchema, await client.carts.storeCredits.apply(cart.id, undefined, auth));
    assert.equal(cart.store_credit_total, '20.00');

    // gift card: a wrong code, the code in lower case, removed, applied again
    await expectSpreeError(client.carts.giftCards.apply(cart.id, 'FFFFFFFFFFFFFFFF', auth), {
      code: 'gift_card_not_found',
      status: 404,
    });
    cart = expectSchema(CartSchema, await client.carts.giftCards.apply(cart.id, DEMO.giftCardCode.toLowerCase(), auth));
    assert.equal(lastResponse().status, 201);
    assert.deepEqual(
      [cart.total, cart.gift_card_total, cart.store_credit_total, cart.amount_due],
      ['55.00', '25.00', '20.00', '10.00'],
    );
    cart = expectSchema(CartSchema, await client.carts.giftCards.remove(cart.id, giftCardId, auth));
    assert.deepEqual([cart.gift_card_total, cart.amount_due], ['0.00', '35.00']);
    cart = expectSchema(CartSchema, await client.carts.giftCards.apply(cart.id, DEMO.giftCardCode, auth));
    assert.equal(cart.amount_due, '10.00');

    // the rest by card, then complete
    const paid = await payBySession(client, auth, cart);
    assert.equal(paid.amount, '10.00');
    const order = expectSchema(OrderSchema, await client.carts.complete(cart.id, auth));
    assert.deepEqual(
      [order.payment_status, order.total, order.gift_card_total, order.store_credit_total, order.amount_due],
      ['paid', '55.00', '25.00', '20.00', '10.00'], // amount_due: the total less credits and gift card
    );
    assert.deepEqual(
      order.payments.map((p) => [p.source_type, p.amount, p.status]).sort(),
      [
        ['credit_card', '10.00', 'completed'],
        ['gift_card', '25.00', 'completed'],
        ['store_credit', '20.00', 'completed'],
      ],
    );

    // the balances after
    const spent = expectSchema(StrictCreditSchema, await client.customer.storeCredits.get(credit.id, auth));
    assert.deepEqual([spent.amount_used, spent.amount_remaining], ['20.00', '0.00']);
    assert.equal(expectSchema(CustomerSchema, await client.customer.get(auth)).available_store_credit_total, '0.00');
    const redeemed = expectSchema(StrictGiftCardSchema, await client.customer.giftCards.get(giftCardId, auth));
    assert.deepEqual(
      [redeemed.status, redeemed.amount_used, redeemed.amount_remaining, redeemed.active],
      ['redeemed', '25.00', '0.00', false],
    );
    assert.ok(redeemed.redeemed_at);

    // nothing left to spend on the next cart
    const next = await readyCart(client, auth, 1);
    await expectSpreeError(client.carts.storeCredits.apply(next.id, undefined, auth), {
      code: 'processing_error',
      status: 422,
    });
    await expectSpreeError(client.carts.giftCards.apply(next.id, DEMO.giftCardCode, auth), {
      code: 'gift_card_already_redeemed',
      status: 422,
    });
  });

  test('store credit needs a signed-in customer; balances of others are not found', async () => {
    const { client } = storeClient();
    const guestCart = await client.carts.create({});
    await expectSpreeError(client.carts.storeCredits.apply(guestCart.id, undefined, { spreeToken: guestCart.token }), {
      code: 'authentication_required',
      status: 401,
    });

    const stranger = await signedIn();
    const payerSession = await payer();
    const [credit] = (await payerSession.client.customer.storeCredits.list({}, payerSession.auth)).data;
    await expectSpreeError(stranger.client.customer.storeCredits.get(credit.id, stranger.auth), {
      code: 'record_not_found',
      status: 404,
    });
    assert.deepEqual((await stranger.client.customer.giftCards.list({}, stranger.auth)).data, []);
  });
});
