// Wishlists through the SDK: client.wishlists.* (create, list, get, update, delete) and
// client.wishlists.items.* (create, update, delete), every answer checked with WishlistSchema /
// WishlistItemSchema of @spree/sdk/zod. The harness seeds the demo catalog (catalog/demo.py);
// SPREE_DEMO_VARIANT_ID is its in-stock T-shirt, and the T-shirt's other sizes come from
// client.products.get.
import assert from 'node:assert/strict';
import { afterEach, before, describe, test } from 'node:test';

import { ProductSchema, WishlistItemSchema, WishlistSchema } from '@spree/sdk/zod';
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
  productSlug: process.env.SPREE_DEMO_PRODUCT_SLUG ?? 'classic-t-shirt',
  variantId: process.env.SPREE_DEMO_VARIANT_ID,
};

// Every key of the SDK schemas and nothing else: zod objects strip unknown keys silently.
const StrictItemSchema = WishlistItemSchema.strict();
const StrictWishlistSchema = WishlistSchema.extend({ items: z.array(StrictItemSchema).optional() }).strict();
const WishlistPageSchema = z
  .object({
    data: z.array(StrictWishlistSchema),
    meta: z
      .object({
        page: z.number(),
        limit: z.number(),
        count: z.number(),
        pages: z.number(),
        from: z.number(),
        to: z.number(),
        in: z.number(),
        previous: z.number().nullable(),
        next: z.number().nullable(),
      })
      .strict(),
  })
  .strict();

let variantIds;

before(async () => {
  assert.ok(DEMO.variantId, 'SPREE_DEMO_VARIANT_ID is not set: run through test_sdk_suite.py');
  const { client } = storeClient();
  const product = expectSchema(ProductSchema, await client.products.get(DEMO.productSlug, { expand: ['variants'] }));
  const others = product.variants.map((v) => v.id).filter((id) => id !== DEMO.variantId);
  assert.ok(others.length >= 1, 'the demo T-shirt has more than one size');
  variantIds = [DEMO.variantId, others[0]];
});

async function signedIn() {
  const { client, lastResponse } = storeClient();
  const { tokens } = await registerCustomer(client);
  return { client, lastResponse, auth: { token: tokens.token } };
}

describe('wishlist journey (client.wishlists.*)', () => {
  test('create, add items, list, get, update, remove items and delete', async () => {
    const { client, lastResponse, auth } = await signedIn();
    const [shirtId, otherShirtId] = variantIds;

    // create: the first wishlist is the default one, private unless told otherwise
    const birthday = expectSchema(StrictWishlistSchema, await client.wishlists.create({ name: 'Birthday Ideas' }, auth));
    assert.equal(lastResponse().status, 201);
    assert.match(birthday.id, /^wl_/);
    assert.deepEqual([birthday.name, birthday.is_default, birthday.is_private], ['Birthday Ideas', true, true]);
    assert.equal(birthday.items, undefined);
    assert.ok(birthday.token.length >= 22, 'a share token of at least 128 bits');
    const camping = expectSchema(
      StrictWishlistSchema,
      await client.wishlists.create({ name: 'Camping', is_private: false }, auth),
    );
    assert.deepEqual([camping.is_default, camping.is_private], [false, false]);

    // items.create
    const shirt = expectSchema(
      StrictItemSchema,
      await client.wishlists.items.create(birthday.id, { variant_id: shirtId, quantity: 2 }, auth),
    );
    assert.equal(lastResponse().status, 201);
    assert.match(shirt.id, /^wi_/);
    assert.deepEqual(
      [shirt.variant_id, shirt.wishlist_id, shirt.quantity, shirt.variant.id],
      [shirtId, birthday.id, 2, shirtId],
    );
    assert.equal(shirt.variant.product_id, shirt.product_id);
    assert.equal(shirt.product, undefined);
    const other = expectSchema(
      StrictItemSchema,
      await client.wishlists.items.create(birthday.id, { variant_id: otherShirtId }, auth),
    );
    assert.equal(other.quantity, 1);

    // list with expand items
    const page = expectSchema(WishlistPageSchema, await client.wishlists.list({ expand: ['items'] }, auth));
    assert.deepEqual(
      page.data.map((w) => [w.name, w.is_default, (w.items ?? []).map((i) => [i.variant_id, i.quantity])]),
      [
        ['Birthday Ideas', true, [[shirtId, 2], [otherShirtId, 1]]],
        ['Camping', false, []],
      ],
    );
    assert.deepEqual(page.meta, { page: 1, limit: 25, count: 2, pages: 1, from: 1, to: 2, in: 2, previous: null, next: null });
    const plain = expectSchema(WishlistPageSchema, await client.wishlists.list({}, auth));
    assert.ok(plain.data.every((w) => w.items === undefined));

    // get with expand items.product
    const detailed = expectSchema(
      StrictWishlistSchema,
      await client.wishlists.get(birthday.id, { expand: ['items.product'] }, auth),
    );
    assert.deepEqual(detailed.items.map((i) => i.id), [shirt.id, other.id]);
    for (const item of detailed.items) {
      expectSchema(ProductSchema, item.product);
      assert.equal(item.product.id, item.product_id);
      assert.equal(item.product.slug, DEMO.productSlug);
    }

    // update: rename and move the default
    const updated = expectSchema(
      StrictWishlistSchema,
      await client.wishlists.update(camping.id, { name: 'Camping Trip', is_default: true }, auth),
    );
    assert.deepEqual([updated.name, updated.is_default, updated.token], ['Camping Trip', true, camping.token]);
    const former = expectSchema(StrictWishlistSchema, await client.wishlists.get(birthday.id, {}, auth));
    assert.equal(former.is_default, false);

    // items.update and items.delete
    const raised = expectSchema(
      StrictItemSchema,
      await client.wishlists.items.update(birthday.id, shirt.id, { quantity: 5 }, auth),
    );
    assert.deepEqual([raised.id, raised.quantity], [shirt.id, 5]);
    assert.equal(await client.wishlists.items.delete(birthday.id, other.id, auth), undefined);
    assert.equal(lastResponse().status, 204);
    const afterRemoval = expectSchema(
      StrictWishlistSchema,
      await client.wishlists.get(birthday.id, { expand: ['items'] }, auth),
    );
    assert.deepEqual(afterRemoval.items.map((i) => [i.id, i.quantity]), [[shirt.id, 5]]);

    // delete the default: the other wishlist becomes the default again
    assert.equal(await client.wishlists.delete(camping.id, auth), undefined);
    assert.equal(lastResponse().status, 204);
    const remaining = expectSchema(WishlistPageSchema, await client.wishlists.list({}, auth));
    assert.deepEqual(remaining.data.map((w) => [w.id, w.is_default]), [[birthday.id, true]]);
    await expectSpreeError(client.wishlists.get(camping.id, {}, auth), { code: 'record_not_found', status: 404 });
  });
});

describe('wishlist errors', () => {
  test('a blank name is 422 validation_error with details.name', async () => {
    const { client, auth } = await signedIn();

    const error = await expectSpreeError(client.wishlists.create({ name: ' ' }, auth), {
      code: 'validation_error',
      status: 422,
    });

    assert.deepEqual(error.details, { name: ["can't be blank"] });
  });

  test('an unknown variant, a bad quantity and a duplicate variant are 422', async () => {
    const { client, auth } = await signedIn();
    const wishlist = await client.wishlists.create({ name: 'Gifts' }, auth);
    const item = await client.wishlists.items.create(wishlist.id, { variant_id: variantIds[0] }, auth);

    const unknown = await expectSpreeError(
      client.wishlists.items.create(wishlist.id, { variant_id: 'variant_doesnotexist' }, auth),
      { code: 'validation_error', status: 422 },
    );
    const zero = await expectSpreeError(
      client.wishlists.items.create(wishlist.id, { variant_id: variantIds[1], quantity: 0 }, auth),
      { code: 'validation_error', status: 422 },
    );
    const fraction = await expectSpreeError(
      client.wishlists.items.update(wishlist.id, item.id, { quantity: 1.5 }, auth),
      { code: 'validation_error', status: 422 },
    );
    const duplicate = await expectSpreeError(
      client.wishlists.items.create(wishlist.id, { variant_id: variantIds[0], quantity: 3 }, auth),
      { code: 'validation_error', status: 422 },
    );

    assert.deepEqual(unknown.details, { variant: ['is invalid'] });
    assert.deepEqual(zero.details, { quantity: ['must be greater than 0'] });
    assert.deepEqual(fraction.details, { quantity: ['must be an integer'] });
    assert.deepEqual(duplicate.details, { variant_id: ['has already been taken'] });
    const unchanged = expectSchema(StrictWishlistSchema, await client.wishlists.get(wishlist.id, { expand: ['items'] }, auth));
    assert.deepEqual(unchanged.items.map((i) => [i.variant_id, i.quantity]), [[variantIds[0], 1]]);
  });

  test("another customer's wishlist and items are 404 and stay as they were", async () => {
    const owner = await signedIn();
    const intruder = await signedIn();
    const wishlist = await owner.client.wishlists.create({ name: 'Mine', is_private: false }, owner.auth);
    const item = await owner.client.wishlists.items.create(wishlist.id, { variant_id: variantIds[0] }, owner.auth);
    const { client, auth } = intruder;
    const notFound = { code: 'record_not_found', status: 404 };

    await expectSpreeError(client.wishlists.get(wishlist.id, {}, auth), notFound);
    await expectSpreeError(client.wishlists.update(wishlist.id, { name: 'Stolen' }, auth), notFound);
    await expectSpreeError(client.wishlists.items.create(wishlist.id, { variant_id: variantIds[1] }, auth), notFound);
    await expectSpreeError(client.wishlists.items.update(wishlist.id, item.id, { quantity: 9 }, auth), notFound);
    await expectSpreeError(client.wishlists.items.delete(wishlist.id, item.id, auth), notFound);
    await expectSpreeError(client.wishlists.delete(wishlist.id, auth), notFound);

    const theirs = expectSchema(WishlistPageSchema, await client.wishlists.list({}, auth));
    assert.deepEqual(theirs.data, []);
    const kept = expectSchema(StrictWishlistSchema, await owner.client.wishlists.get(wishlist.id, { expand: ['items'] }, owner.auth));
    assert.deepEqual([kept.name, kept.items.map((i) => [i.id, i.quantity])], ['Mine', [[item.id, 1]]]);
  });

  test('a guest gets 401 authentication_required', async () => {
    const { client } = storeClient();

    await expectSpreeError(client.wishlists.list(), { code: 'authentication_required', status: 401 });
    await expectSpreeError(client.wishlists.create({ name: 'Nope' }), {
      code: 'authentication_required',
      status: 401,
    });
  });
});

describe('shared wishlists (ours: GET /shared_wishlists/:token)', () => {
  async function shared(token) {
    const response = await fetch(
      `${process.env.SPREE_BASE_URL}/api/v3/store/shared_wishlists/${encodeURIComponent(token)}`,
      { headers: { 'x-spree-api-key': process.env.SPREE_PUBLISHABLE_KEY, accept: 'application/json' } },
    );
    return { status: response.status, body: await response.json() };
  }

  test('a public wishlist is readable with the publishable key alone; a private one is 404', async () => {
    const { client, auth } = await signedIn();
    const open = await client.wishlists.create({ name: 'Wedding', is_private: false }, auth);
    await client.wishlists.items.create(open.id, { variant_id: variantIds[0], quantity: 2 }, auth);
    const secret = await client.wishlists.create({ name: 'Secret' }, auth);

    const found = await shared(open.token);
    const hidden = await shared(secret.token);

    assert.equal(found.status, 200);
    const wishlist = expectSchema(StrictWishlistSchema, found.body);
    assert.deepEqual(wishlist.items.map((i) => [i.variant_id, i.quantity]), [[variantIds[0], 2]]);
    assert.deepEqual(hidden, { status: 404, body: { error: { code: 'record_not_found', message: 'Wishlist not found' } } });
  });
});
