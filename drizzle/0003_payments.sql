CREATE TABLE "assist_bill_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bill_number" text NOT NULL,
	"field" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assist_bills" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bill_number" text NOT NULL,
	"order_number" text NOT NULL,
	"order_id" bigint,
	"raw_status" text NOT NULL,
	"status" text NOT NULL,
	"amount_kopecks" bigint,
	"currency" text,
	"charged_kopecks" bigint DEFAULT 0 NOT NULL,
	"returned_kopecks" bigint DEFAULT 0 NOT NULL,
	"response_code" text,
	"message" text,
	"masked_card" text,
	"payment_method" text,
	"test_mode" boolean,
	"packet_date" timestamp with time zone,
	"held_since" timestamp with time zone,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"raw" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_at" timestamp with time zone,
	CONSTRAINT "assist_bills_bill_number_unique" UNIQUE("bill_number")
);
--> statement-breakpoint
CREATE TABLE "assist_operations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"operation_id" text NOT NULL,
	"bill_number" text NOT NULL,
	"kind" text NOT NULL,
	"raw_kind" text NOT NULL,
	"outcome" text NOT NULL,
	"raw_outcome" text NOT NULL,
	"amount_kopecks" bigint,
	"currency" text,
	"at" timestamp with time zone,
	"response_code" text,
	"message" text,
	"masked_card" text,
	"approval_code" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assist_operations_operation_id_unique" UNIQUE("operation_id")
);
--> statement-breakpoint
CREATE TABLE "assist_sync_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"window_from" timestamp with time zone,
	"window_to" timestamp with time zone,
	"windows" integer DEFAULT 0 NOT NULL,
	"rows_seen" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"rechecked" integer DEFAULT 0 NOT NULL,
	"outcome" text DEFAULT 'running' NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text,
	"until" timestamp with time zone DEFAULT 'epoch' NOT NULL,
	"last_started_at" timestamp with time zone,
	"cursor" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_checked_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "assist_bill_changes_bill_idx" ON "assist_bill_changes" USING btree ("bill_number","id");--> statement-breakpoint
CREATE INDEX "assist_bills_order_number_idx" ON "assist_bills" USING btree ("order_number");--> statement-breakpoint
CREATE INDEX "assist_bills_order_id_idx" ON "assist_bills" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "assist_bills_open_idx" ON "assist_bills" USING btree ("checked_at") WHERE "assist_bills"."status" in ('in_process', 'held');--> statement-breakpoint
CREATE INDEX "assist_operations_bill_number_idx" ON "assist_operations" USING btree ("bill_number");--> statement-breakpoint
CREATE INDEX "assist_sync_runs_started_idx" ON "assist_sync_runs" USING btree ("started_at");