// The catalog through the SDK: client.products.list / get / filters, every answer checked with
// @spree/sdk/zod. The harness seeds the demo catalog (catalog/demo.py); every demo SKU starts
// with DEMO-, so `search: 'DEMO-'` keeps these tests to it whatever else the database holds.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import {
  OptionTypeSchema,
  OptionValueSchema,
  ProductFiltersSchema,
  ProductSchema,
  VariantSchema,
} from '@spree/sdk/zod';
import { z } from 'zod';

import { expectNoRetriableAnswers, expectSchema, expectSpreeError, storeClient } from './helpers.mjs';

afterEach(expectNoRetriableAnswers);

const DEMO_SEARCH = 'DEMO-';
const DEMO = {
  productSlug: process.env.SPREE_DEMO_PRODUCT_SLUG ?? 'classic-t-shirt',
  productId: process.env.SPREE_DEMO_PRODUCT_ID,
  variantId: process.env.SPREE_DEMO_VARIANT_ID,
};

// Every key of the SDK schemas and nothing else: zod objects strip unknown keys silently.
const StrictProductSchema = ProductSchema.strict();
const PaginationMetaSchema = z
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
  .strict();
const ProductPageSchema = z.object({ data: z.array(StrictProductSchema), meta: PaginationMetaSchema }).strict();

async function listSlugs(client, params = {}) {
  const page = expectSchema(ProductPageSchema, await client.products.list({ search: DEMO_SEARCH, ...params }));
  return page.data.map((product) => product.slug);
}

describe('product list (client.products.list)', () => {
  test('lists the published demo products with prices and pagination meta', async () => {
    const { client } = storeClient();

    const page = expectSchema(ProductPageSchema, await client.products.list({ search: DEMO_SEARCH, sort: 'name' }));

    assert.deepEqual(
      page.data.map((p) => [p.slug, p.in_stock, p.price.amount, p.price.currency]),
      [
        ['canvas-tote', false, '15.00', 'USD'],
        ['ceramic-mug', true, '12.00', 'USD'],
        ['classic-t-shirt', true, '25.00', 'USD'],
        ['mountain-poster', true, '18.00', 'USD'],
      ],
    );
    assert.deepEqual(page.meta, { page: 1, limit: 25, count: 4, pages: 1, from: 1, to: 4, in: 4, previous: null, next: null });
    const shirt = page.data[2];
    assert.equal(shirt.price.compare_at_amount, '30.00');
    assert.equal(shirt.price.display_amount, '$25.00');
    assert.equal(shirt.price.amount_in_cents, 2500);
    assert.equal(shirt.original_price, null);
    assert.equal(shirt.variant_count, 3);
  });

  test('expands variants, the default variant, option types and option values', async () => {
    const { client } = storeClient();

    const page = await client.products.list({
      search: DEMO_SEARCH,
      sort: 'name',
      expand: ['variants', 'default_variant', 'option_types', 'option_values'],
    });

    for (const product of page.data) {
      expectSchema(StrictProductSchema, product);
      product.variants.forEach((variant) => expectSchema(VariantSchema.strict(), variant));
      expectSchema(VariantSchema.strict(), product.default_variant);
      assert.equal(product.default_variant.id, product.default_variant_id);
    }
    const shirt = page.data.find((p) => p.slug === 'classic-t-shirt');
    assert.deepEqual(
      shirt.variants.map((v) => [v.sku, v.options_text, v.in_stock]),
      [
        ['DEMO-TSHIRT-S', 'Size: S', true],
        ['DEMO-TSHIRT-M', 'Size: M', true],
        ['DEMO-TSHIRT-L', 'Size: L', true],
      ],
    );
    shirt.option_types.forEach((type) => expectSchema(OptionTypeSchema.strict(), type));
    shirt.option_values.forEach((value) => expectSchema(OptionValueSchema.strict(), value));
    assert.deepEqual(shirt.option_types.map((t) => t.name), ['size']);
    assert.deepEqual(shirt.option_values.map((v) => v.label), ['S', 'M', 'L']);
    const mug = page.data.find((p) => p.slug === 'ceramic-mug');
    assert.deepEqual(mug.variants, []);
    assert.equal(mug.default_variant.sku, 'DEMO-MUG');
  });

  test('filters by name, price range, stock and option values', async () => {
    const { client } = storeClient();
    const shirt = await client.products.get(DEMO.productSlug, { expand: ['option_values'] });
    const large = shirt.option_values.find((v) => v.name === 'large');

    assert.deepEqual(await listSlugs(client, { name_cont: 'MUG' }), ['ceramic-mug']);
    assert.deepEqual(await listSlugs(client, { search: 'demo-poster' }), ['mountain-poster']);
    assert.deepEqual(await listSlugs(client, { price_gte: 15, price_lte: 20, sort: 'price' }), [
      'canvas-tote',
      'mountain-poster',
    ]);
    assert.deepEqual(await listSlugs(client, { in_stock: true, sort: 'name' }), [
      'ceramic-mug',
      'classic-t-shirt',
      'mountain-poster',
    ]);
    assert.deepEqual(await listSlugs(client, { out_of_stock: true }), ['canvas-tote']);
    assert.deepEqual(await listSlugs(client, { with_option_value_ids: [large.id] }), ['classic-t-shirt']);
    assert.deepEqual(await listSlugs(client, { with_option_value_ids: ['optval_nothing'] }), []);
  });

  test('sorts by price, name and publish date', async () => {
    const { client } = storeClient();

    assert.deepEqual(await listSlugs(client, { sort: 'price' }), [
      'ceramic-mug',
      'canvas-tote',
      'mountain-poster',
      'classic-t-shirt',
    ]);
    assert.deepEqual(await listSlugs(client, { sort: '-price' }), [
      'classic-t-shirt',
      'mountain-poster',
      'canvas-tote',
      'ceramic-mug',
    ]);
    assert.deepEqual(await listSlugs(client, { sort: '-name' }), [
      'mountain-poster',
      'classic-t-shirt',
      'ceramic-mug',
      'canvas-tote',
    ]);
    // All four were published at the same moment: ties keep creation order.
    assert.deepEqual(await listSlugs(client, { sort: 'available_on' }), [
      'classic-t-shirt',
      'ceramic-mug',
      'mountain-poster',
      'canvas-tote',
    ]);
  });

  test('pages with limit and page', async () => {
    const { client } = storeClient();

    const page = expectSchema(
      ProductPageSchema,
      await client.products.list({ search: DEMO_SEARCH, sort: 'name', limit: 3, page: 2 }),
    );

    assert.deepEqual(page.data.map((p) => p.slug), ['mountain-poster']);
    assert.deepEqual(page.meta, { page: 2, limit: 3, count: 4, pages: 2, from: 4, to: 4, in: 1, previous: 1, next: null });
  });

  test('keeps only the requested fields', async () => {
    const { client } = storeClient();

    const page = await client.products.list({ search: DEMO_SEARCH, fields: ['name', 'slug'] });

    for (const product of page.data) {
      assert.deepEqual(Object.keys(product).sort(), ['id', 'name', 'slug']);
    }
  });

  test('a currency the store does not sell in falls back to the store currency', async () => {
    const { client } = storeClient();

    const page = await client.products.list({ search: DEMO_SEARCH }, { currency: 'GBP' });

    assert.equal(page.data.length, 4);
    assert.ok(page.data.every((p) => expectSchema(ProductSchema, p).price.currency === 'USD'));
  });
});

describe('one product (client.products.get)', () => {
  test('finds a product by slug and by id, with the seeded in-stock variant', async () => {
    const { client } = storeClient();

    const bySlug = expectSchema(
      StrictProductSchema,
      await client.products.get(DEMO.productSlug, { expand: ['variants', 'default_variant'] }),
    );
    const byId = expectSchema(StrictProductSchema, await client.products.get(bySlug.id));

    assert.equal(byId.slug, DEMO.productSlug);
    if (DEMO.productId) {
      assert.equal(bySlug.id, DEMO.productId);
    }
    if (DEMO.variantId) {
      const seeded = bySlug.variants.find((v) => v.id === DEMO.variantId);
      assert.ok(seeded, 'the seeded variant is one of the product variants');
      assert.equal(seeded.purchasable, true);
    }
    assert.equal(bySlug.default_variant.product_id, bySlug.id);
    assert.equal(bySlug.description, 'A soft organic cotton tee with a relaxed fit.');
    assert.match(bySlug.description_html, /<strong>organic cotton<\/strong>/);
  });

  test('keeps only the requested fields', async () => {
    const { client } = storeClient();

    const product = await client.products.get(DEMO.productSlug, { fields: ['price'] });

    assert.deepEqual(Object.keys(product).sort(), ['id', 'price']);
    expectSchema(ProductSchema.pick({ id: true, price: true }), product);
  });

  test('an unknown product is 404 record_not_found', async () => {
    const { client } = storeClient();

    const error = await expectSpreeError(client.products.get('no-such-product'), {
      code: 'record_not_found',
      status: 404,
    });
    assert.equal(error.message, 'Product not found');
    await expectSpreeError(client.products.get('prod_UkLWZg9DAJXYZ'), { code: 'record_not_found', status: 404 });
  });

  test('a wrong publishable key is 401 invalid_token', async () => {
    const { client } = storeClient({ publishableKey: 'pk_not_a_real_key' });

    await expectSpreeError(client.products.get(DEMO.productSlug), { code: 'invalid_token', status: 401 });
  });
});

describe('product filters (client.products.filters)', () => {
  test('describes the demo catalog: price range, availability, sizes, sort options', async () => {
    const { client } = storeClient();

    const filters = expectSchema(
      ProductFiltersSchema.strict(),
      await client.products.filters({ 'q[search]': DEMO_SEARCH }),
    );

    assert.equal(filters.total_count, 4);
    assert.equal(filters.default_sort, 'manual');
    assert.deepEqual(
      filters.sort_options.map((o) => o.id),
      ['manual', 'best_selling', 'price', '-price', '-available_on', 'available_on', 'name', '-name'],
    );
    const [price, availability, size] = filters.filters;
    assert.deepEqual(price, { id: 'price', type: 'price_range', min: 12, max: 25, currency: 'USD' });
    assert.deepEqual(availability, {
      id: 'availability',
      type: 'availability',
      options: [
        { id: 'in_stock', count: 3 },
        { id: 'out_of_stock', count: 1 },
      ],
    });
    assert.equal(size.type, 'option');
    assert.equal(size.name, 'size');
    assert.deepEqual(
      size.options.map((o) => [o.name, o.label, o.count]),
      [
        ['small', 'S', 1],
        ['medium', 'M', 1],
        ['large', 'L', 1],
      ],
    );
  });

  test('narrows the counts with the list filters', async () => {
    const { client } = storeClient();

    const filters = expectSchema(
      ProductFiltersSchema,
      await client.products.filters({ 'q[search]': DEMO_SEARCH, 'q[name_cont]': 'mug' }),
    );

    assert.equal(filters.total_count, 1);
    assert.deepEqual(filters.filters[0], { id: 'price', type: 'price_range', min: 12, max: 12, currency: 'USD' });
  });
});
