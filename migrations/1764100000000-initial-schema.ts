import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The initial schema. Generated from the entities by TypeORM's schema builder,
 * then reviewed: parents before children, every foreign key and every test_tag
 * indexed, money in integer cents, statuses as CHECK-guarded text.
 * Foreign keys are NO ACTION on purpose: a cleanup that would orphan another
 * tag's rows must fail (409), never cascade into them.
 */
export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "test_tags" ("tag" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "labels" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "pk_test_tags" PRIMARY KEY ("tag"))`);
    await queryRunner.query(`CREATE INDEX "idx_test_tags_created_at" ON "test_tags" ("created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_test_tags_expires_at" ON "test_tags" ("expires_at")`);
    await queryRunner.query(`CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, "domain" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_organizations" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_organizations_test_tag" ON "organizations" ("test_tag")`);
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "email" text NOT NULL, "first_name" text NOT NULL, "last_name" text NOT NULL, "phone" text, "role" text NOT NULL, "status" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_users_status" CHECK ("status" IN ('active', 'suspended', 'unverified')), CONSTRAINT "chk_users_role" CHECK ("role" IN ('customer', 'admin', 'support')), CONSTRAINT "pk_users" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_users_test_tag" ON "users" ("test_tag")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users" ("email")`);
    await queryRunner.query(`CREATE TABLE "memberships" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "organization_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_memberships_role" CHECK ("role" IN ('owner', 'admin', 'member', 'viewer')), CONSTRAINT "pk_memberships" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_memberships_test_tag" ON "memberships" ("test_tag")`);
    await queryRunner.query(`CREATE INDEX "idx_memberships_user_id" ON "memberships" ("user_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_memberships_organization_user" ON "memberships" ("organization_id", "user_id")`);
    await queryRunner.query(`CREATE TABLE "addresses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "user_id" uuid NOT NULL, "line1" text NOT NULL, "city" text NOT NULL, "postal_code" text NOT NULL, "country_code" character(2) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_addresses" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_addresses_test_tag" ON "addresses" ("test_tag")`);
    await queryRunner.query(`CREATE INDEX "idx_addresses_user_id" ON "addresses" ("user_id")`);
    await queryRunner.query(`CREATE TABLE "products" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "sku" text NOT NULL, "name" text NOT NULL, "category" text NOT NULL, "price_cents" integer NOT NULL, "stock" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_products_stock" CHECK ("stock" >= 0), CONSTRAINT "chk_products_price_cents" CHECK ("price_cents" >= 0), CONSTRAINT "pk_products" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_products_test_tag" ON "products" ("test_tag")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_products_sku" ON "products" ("sku")`);
    await queryRunner.query(`CREATE TABLE "orders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "user_id" uuid NOT NULL, "number" text NOT NULL, "status" text NOT NULL, "total_cents" integer NOT NULL, "currency" character(3) NOT NULL, "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_orders_total_cents" CHECK ("total_cents" >= 0), CONSTRAINT "chk_orders_status" CHECK ("status" IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')), CONSTRAINT "pk_orders" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_orders_test_tag" ON "orders" ("test_tag")`);
    await queryRunner.query(`CREATE INDEX "idx_orders_user_id" ON "orders" ("user_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_orders_number" ON "orders" ("number")`);
    await queryRunner.query(`CREATE TABLE "order_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "order_id" uuid NOT NULL, "product_id" uuid NOT NULL, "quantity" integer NOT NULL, "unit_price_cents" integer NOT NULL, CONSTRAINT "chk_order_items_unit_price_cents" CHECK ("unit_price_cents" >= 0), CONSTRAINT "chk_order_items_quantity" CHECK ("quantity" > 0), CONSTRAINT "pk_order_items" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_order_items_test_tag" ON "order_items" ("test_tag")`);
    await queryRunner.query(`CREATE INDEX "idx_order_items_order_id" ON "order_items" ("order_id")`);
    await queryRunner.query(`CREATE INDEX "idx_order_items_product_id" ON "order_items" ("product_id")`);
    await queryRunner.query(`CREATE TABLE "payments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "order_id" uuid NOT NULL, "status" text NOT NULL, "method" text NOT NULL, "amount_cents" integer NOT NULL, "card_last4" character(4), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_payments_amount_cents" CHECK ("amount_cents" >= 0), CONSTRAINT "chk_payments_method" CHECK ("method" IN ('card', 'bank_transfer', 'wallet')), CONSTRAINT "chk_payments_status" CHECK ("status" IN ('authorized', 'captured', 'refunded', 'failed', 'voided')), CONSTRAINT "pk_payments" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_payments_test_tag" ON "payments" ("test_tag")`);
    await queryRunner.query(`CREATE INDEX "idx_payments_order_id" ON "payments" ("order_id")`);
    await queryRunner.query(`CREATE TABLE "shipments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_tag" text NOT NULL, "order_id" uuid NOT NULL, "carrier" text NOT NULL, "tracking_number" text NOT NULL, "status" text NOT NULL, "shipped_at" TIMESTAMP WITH TIME ZONE NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_shipments_status" CHECK ("status" IN ('label_created', 'in_transit', 'delivered')), CONSTRAINT "pk_shipments" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_shipments_test_tag" ON "shipments" ("test_tag")`);
    await queryRunner.query(`CREATE INDEX "idx_shipments_order_id" ON "shipments" ("order_id")`);
    await queryRunner.query(`CREATE TABLE "testapi_idempotency_keys" ("key" text NOT NULL, "tag" text NOT NULL, "scenario" text NOT NULL, "request_hash" text NOT NULL, "status_code" integer, "response" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_testapi_idempotency_keys" PRIMARY KEY ("key"))`);
    await queryRunner.query(`CREATE INDEX "idx_testapi_idempotency_keys_tag" ON "testapi_idempotency_keys" ("tag")`);
    await queryRunner.query(`CREATE INDEX "idx_testapi_idempotency_keys_expires_at" ON "testapi_idempotency_keys" ("expires_at")`);
    await queryRunner.query(`ALTER TABLE "addresses" ADD CONSTRAINT "fk_addresses_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "fk_memberships_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "orders" ADD CONSTRAINT "fk_orders_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_items" ADD CONSTRAINT "fk_order_items_order" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_items" ADD CONSTRAINT "fk_order_items_product" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payments" ADD CONSTRAINT "fk_payments_order" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "shipments" ADD CONSTRAINT "fk_shipments_order" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "shipments" DROP CONSTRAINT "fk_shipments_order"`);
    await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "fk_payments_order"`);
    await queryRunner.query(`ALTER TABLE "order_items" DROP CONSTRAINT "fk_order_items_product"`);
    await queryRunner.query(`ALTER TABLE "order_items" DROP CONSTRAINT "fk_order_items_order"`);
    await queryRunner.query(`ALTER TABLE "orders" DROP CONSTRAINT "fk_orders_user"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "fk_memberships_user"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "fk_memberships_organization"`);
    await queryRunner.query(`ALTER TABLE "addresses" DROP CONSTRAINT "fk_addresses_user"`);
    await queryRunner.query(`DROP TABLE "testapi_idempotency_keys"`);
    await queryRunner.query(`DROP TABLE "shipments"`);
    await queryRunner.query(`DROP TABLE "payments"`);
    await queryRunner.query(`DROP TABLE "order_items"`);
    await queryRunner.query(`DROP TABLE "orders"`);
    await queryRunner.query(`DROP TABLE "products"`);
    await queryRunner.query(`DROP TABLE "addresses"`);
    await queryRunner.query(`DROP TABLE "memberships"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
    await queryRunner.query(`DROP TABLE "test_tags"`);
  }
}
