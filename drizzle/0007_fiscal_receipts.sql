CREATE TABLE "fiscal_receipts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" bigint,
	"order_number" text NOT NULL,
	"bill_number" text NOT NULL,
	"operation_id" text,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"items" jsonb NOT NULL,
	"amount_kopecks" bigint NOT NULL,
	"email" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"gateway_reply" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"registered_at" timestamp with time zone,
	CONSTRAINT "fiscal_receipts_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "fiscal_receipts_kind_known" CHECK ("fiscal_receipts"."kind" in ('sell', 'sell_refund', 'full_calculation')),
	CONSTRAINT "fiscal_receipts_state_known" CHECK ("fiscal_receipts"."state" in ('pending', 'registered', 'failed', 'unknown')),
	CONSTRAINT "fiscal_receipts_amount_positive" CHECK ("fiscal_receipts"."amount_kopecks" > 0)
);
--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "vat_rate" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "payment_subject" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "marking_code" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "vat_rate" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "payment_subject" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "marking_code" text;--> statement-breakpoint
CREATE INDEX "fiscal_receipts_order_idx" ON "fiscal_receipts" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "fiscal_receipts_bill_idx" ON "fiscal_receipts" USING btree ("bill_number");--> statement-breakpoint
CREATE INDEX "fiscal_receipts_open_idx" ON "fiscal_receipts" USING btree ("created_at") WHERE "fiscal_receipts"."state" in ('pending', 'unknown');--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_vat_rate_known" CHECK ("products"."vat_rate" is null or "products"."vat_rate" in ('none', '0', '5', '7', '10', '20', '22', '5/105', '7/107', '10/110', '20/120', '22/122'));--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_payment_subject_known" CHECK ("products"."payment_subject" is null or "products"."payment_subject" in ('goods', 'excise', 'work', 'service', 'payment', 'other'));