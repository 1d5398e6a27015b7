// Carts and orders through the SDK: the guest journey (cart token only) and the signed-in
// journey (a guest cart associated after login, then the order history). Every answer is checked
// with @spree/sdk/zod: CartSchema, LineItemSchema, PaymentSchema and OrderSchema.
//
// The harness (test_sdk_suite.py) seeds the demo catalog (catalog/demo.py: the T-shirt variant
// SPREE_DEMO_VARIANT_ID at 25.00, the ceramic mug at 12.00) and checkout (orders/demo.py: a US and
// Canada zone with Standard 5.00, free from 100.00, and Express 15.00; the Check method
// SPREE_DEMO_CHECK_PAYMENT_METHOD_ID).
import assert from 'node:assert/strict';
import { afterEach, before, describe, test } from 'node:test';

import { CartSchema, LineItemSchema, OrderSchema, PaymentSchema } from '@spree/sdk/zod';
import { z } from 'zod';

import {
  expectNoRetriableAnswers,
  expectSchema,
  expectSpreeError,
  PASSWORD,
  registerCustomer,
  storeClient,
} from './helpers.mjs';

afterEach(expectNoRetriableAnswers);

const DEMO = {
  variantId: process.env.SPREE_DEMO_VARIANT_ID,
  checkId: process.env.SPREE_DEMO_CHECK_PAYMENT_METHOD_ID,
};
const MUG_SLUG = 'ceramic-mug';

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
const StrictCartSchema = CartSchema.strict();
const StrictOrderSchema = OrderSchema.strict();
const StrictPaymentSchema = PaymentSchema.strict();
const StrictLineItemSchema = LineItemSchema.strict();
const OrderPageSchema = z
  .object({ data: z.array(StrictOrderSchema), meta: z.object({ count: z.number() }).passthrough() })
  .strict();
const CartPageSchema = z
  .object({ data: z.array(StrictCartSchema), meta: z.object({ count: z.number() }).passthrough() })
  .strict();

before(() => {
  for (const [name, value] of Object.entries(DEMO)) {
    assert.ok(value, `the demo ${name} is not set: run the suite through tests/sdk/test_sdk_suite.py`);
  }
});

/** Parses a Cart strictly, and each of its items with LineItemSchema. */
function expectCart(value) {
  const cart = expectSchema(StrictCartSchema, value);
  for (const item of value.items) {
    expectSchema(StrictLineItemSchema, item);
  }
  return cart;
}

function expectOrder(value) {
  const order = expectSchema(StrictOrderSchema, value);
  for (const item of value.items) {
    expectSchema(StrictLineItemSchema, item);
  }
  for (const payment of value.payments) {
    expectSchema(StrictPaymentSchema, payment);
  }
  return order;
}

async function mugVariantId(client) {
  const mug = await client.products.get(MUG_SLUG, { expand: ['default_variant'] });
  return mug.default_variant.id;
}

describe('guest checkout (client.carts.*, client.orders.get)', () => {
  test('fills a cart, checks out with the token alone and looks the order up again', async () => {
    const { client, lastResponse } = storeClient();

    const created = expectCart(await client.carts.create({}));
    assert.equal(lastResponse().status, 201);
    assert.match(created.id, /^cart_/);
    assert.equal(created.token.length, 35);
    assert.equal(created.current_step, 'address');
    assert.deepEqual(created.items, []);
    const spree = { spreeToken: created.token };

    let cart = expectCart(
      await client.carts.items.create(created.id, { variant_id: DEMO.variantId, quantity: 2 }, spree),
    );
    assert.equal(lastResponse().status, 201);
    assert.deepEqual(
      cart.items.map((i) => [i.variant_id, i.quantity, i.price, i.total]),
      [[DEMO.variantId, 2, '25.00', '50.00']],
    );

    cart = expectCart(
      await client.carts.items.create(created.id, { variant_id: await mugVariantId(client) }, spree),
    );
    const mug = cart.items.find((i) => i.slug === MUG_SLUG);
    assert.equal(mug.quantity, 1);
    assert.equal(cart.item_total, '62.00');

    cart = expectCart(await client.carts.items.update(created.id, mug.id, { quantity: 3 }, spree));
    assert.equal(cart.items.find((i) => i.id === mug.id).quantity, 3);
    assert.equal(cart.item_total, '86.00');
    assert.equal(cart.total_quantity, 5);

    cart = expectCart(await client.carts.items.delete(created.id, mug.id, spree));
    assert.equal(lastResponse().status, 200);
    assert.deepEqual(
      cart.items.map((i) => i.variant_id),
      [DEMO.variantId],
    );
    assert.equal(cart.item_total, '50.00');

    cart = expectCart(
      await client.carts.update(
        created.id,
        { email: 'sdk-guest@example.com', shipping_address: US_ADDRESS, use_shipping: true },
        spree,
      ),
    );
    assert.equal(cart.email, 'sdk-guest@example.com');
    assert.equal(cart.shipping_address.city, 'New York');
    assert.equal(cart.shipping_eq_billing_address, true);
    assert.equal(cart.current_step, 'payment');
    assert.deepEqual(cart.completed_steps, ['address', 'delivery']);
    const [fulfillment] = cart.fulfillments;
    assert.deepEqual(
      fulfillment.delivery_rates.map((r) => [r.name, r.cost, r.selected]),
      [
        ['Standard', '5.00', true],
        ['Express', '15.00', false],
      ],
    );
    assert.deepEqual([cart.delivery_total, cart.total], ['5.00', '55.00']);

    const express = fulfillment.delivery_rates.find((r) => r.name === 'Express');
    cart = expectCart(
      await client.carts.fulfillments.update(
        created.id,
        fulfillment.id,
        { selected_delivery_rate_id: express.id },
        spree,
      ),
    );
    assert.equal(cart.fulfillments[0].delivery_method.name, 'Express');
    assert.deepEqual([cart.delivery_total, cart.total, cart.amount_due], ['15.00', '65.00', '65.00']);
    assert.equal(cart.payment_methods.some((m) => m.id === DEMO.checkId), true);

    const payment = expectSchema(
      StrictPaymentSchema,
      await client.carts.payments.create(created.id, { payment_method_id: DEMO.checkId }, spree),
    );
    assert.equal(lastResponse().status, 201);
    assert.match(payment.id, /^py_/);
    assert.deepEqual(
      [payment.payment_method_id, payment.amount, payment.status],
      [DEMO.checkId, '65.00', 'checkout'],
    );

    cart = expectCart(await client.carts.get(created.id, spree));
    assert.equal(cart.current_step, 'complete');
    assert.deepEqual(cart.requirements, []);

    const order = expectOrder(await client.carts.complete(created.id, spree));
    assert.match(order.id, /^or_/);
    assert.equal(order.number, created.number);
    assert.match(order.number, /^R\d{9}$/);
    assert.equal('token' in order, false);
    assert.deepEqual(
      [order.email, order.total, order.payment_status, order.fulfillment_status],
      ['sdk-guest@example.com', '65.00', 'balance_due', 'pending'],
    );
    assert.deepEqual(
      order.payments.map((p) => [p.id, p.status]),
      [[payment.id, 'pending']],
    );
    assert.ok(order.completed_at);

    const again = expectOrder(await client.carts.complete(created.id, spree));
    assert.equal(again.id, order.id);
    assert.equal(again.completed_at, order.completed_at);

    const found = expectOrder(await client.orders.get(order.id, {}, spree));
    assert.deepEqual(found, order);

    await expectSpreeError(client.orders.get(order.id), { code: 'order_not_found', status: 404 });
    await expectSpreeError(client.orders.get(order.id, {}, { spreeToken: 'not-the-token' }), {
      code: 'order_not_found',
      status: 404,
    });
    await expectSpreeError(client.carts.get(created.id, spree), { code: 'cart_not_found', status: 404 });
  });

  test("another guest's cart is forbidden and a bad item is refused", async () => {
    const { client } = storeClient();
    const cart = expectCart(await client.carts.create({}));
    const spree = { spreeToken: cart.token };

    await expectSpreeError(client.carts.get(cart.id, { spreeToken: 'someone-else' }), {
      code: 'access_denied',
      status: 403,
    });
    await expectSpreeError(client.carts.get(cart.id), { code: 'access_denied', status: 403 });
    await expectSpreeError(
      client.carts.items.create(cart.id, { variant_id: 'variant_unknown123', quantity: 1 }, spree),
      { code: 'variant_not_found', status: 404 },
    );
    await expectSpreeError(
      client.carts.items.create(cart.id, { variant_id: DEMO.variantId, quantity: 0 }, spree),
      { code: 'invalid_quantity', status: 422 },
    );
    await expectSpreeError(
      client.carts.items.create(cart.id, { variant_id: DEMO.variantId, quantity: 5000 }, spree),
      { code: 'insufficient_stock', status: 422 },
    );
    await expectSpreeError(client.carts.complete(cart.id, spree), {
      code: 'cart_cannot_complete',
      status: 422,
    });
    const unchanged = expectCart(await client.carts.get(cart.id, spree));
    assert.deepEqual(unchanged.items, []);

    await client.carts.delete(cart.id, spree);
    await expectSpreeError(client.carts.get(cart.id, spree), { code: 'cart_not_found', status: 404 });
  });
});

describe('signed-in checkout (client.carts.associate, client.customer.orders.*)', () => {
  test('takes over a guest cart after login, checks out and finds the order in the history', async () => {
    const { client, lastResponse } = storeClient();
    const { email } = await registerCustomer(client);
    const { token } = await client.auth.login({ email, password: PASSWORD });
    const auth = { token };

    const guest = expectCart(await client.carts.create({}));
    expectCart(
      await client.carts.items.create(
        guest.id,
        { variant_id: DEMO.variantId, quantity: 1 },
        { spreeToken: guest.token },
      ),
    );

    await expectSpreeError(client.carts.associate(guest.id, { spreeToken: guest.token }), {
      code: 'authentication_required',
      status: 401,
    });
    await expectSpreeError(client.carts.associate(guest.id, auth), { code: 'access_denied', status: 403 });

    let cart = expectCart(await client.carts.associate(guest.id, { token, spreeToken: guest.token }));
    assert.equal(lastResponse().status, 200);
    assert.equal(cart.id, guest.id);
    assert.equal(cart.email, email);
    assert.equal(cart.items.length, 1);

    const open = expectSchema(CartPageSchema, await client.carts.list(auth));
    assert.deepEqual(
      open.data.map((c) => c.id),
      [guest.id],
    );

    cart = expectCart(
      await client.carts.update(guest.id, { shipping_address: US_ADDRESS, use_shipping: true }, auth),
    );
    assert.equal(cart.current_step, 'payment');
    assert.equal(cart.total, '30.00');

    expectSchema(
      StrictPaymentSchema,
      await client.carts.payments.create(guest.id, { payment_method_id: DEMO.checkId }, auth),
    );
    const order = expectOrder(await client.carts.complete(guest.id, auth));
    assert.deepEqual([order.email, order.total], [email, '30.00']);

    const history = expectSchema(OrderPageSchema, await client.customer.orders.list({}, auth));
    assert.deepEqual(
      history.data.map((o) => o.id),
      [order.id],
    );
    assert.equal(history.meta.count, 1);
    const filtered = expectSchema(
      OrderPageSchema,
      await client.customer.orders.list({ number_eq: order.number, sort: '-completed_at' }, auth),
    );
    assert.deepEqual(
      filtered.data.map((o) => o.number),
      [order.number],
    );
    const none = expectSchema(
      OrderPageSchema,
      await client.customer.orders.list({ number_eq: 'R000000000' }, auth),
    );
    assert.deepEqual(none.data, []);

    const one = expectOrder(await client.customer.orders.get(order.id, {}, auth));
    assert.deepEqual(one, order);
    expectOrder(await client.orders.get(order.id, {}, auth));
    const emptied = expectSchema(CartPageSchema, await client.carts.list(auth));
    assert.deepEqual(emptied.data, []);

    const other = storeClient().client;
    const { tokens: stranger } = await registerCustomer(other);
    await expectSpreeError(other.customer.orders.get(order.id, {}, { token: stranger.token }), {
      code: 'order_not_found',
      status: 404,
    });
    await expectSpreeError(other.orders.get(order.id, {}, { token: stranger.token }), {
      code: 'order_not_found',
      status: 404,
    });
    await expectSpreeError(client.customer.orders.list({}), {
      code: 'authentication_required',
      status: 401,
    });
  });

  test("another customer's cart cannot be associated", async () => {
    const { client } = storeClient();
    const { tokens: owner } = await registerCustomer(client);
    const { tokens: thief } = await registerCustomer(client);
    const cart = expectCart(await client.carts.create({}, { token: owner.token }));
    assert.equal(cart.email, owner.user.email);

    await expectSpreeError(
      client.carts.associate(cart.id, { token: thief.token, spreeToken: cart.token }),
      { code: 'cart_not_found', status: 404 },
    );
    const still = expectCart(await client.carts.get(cart.id, { token: owner.token }));
    assert.equal(still.email, owner.user.email);
  });
});
