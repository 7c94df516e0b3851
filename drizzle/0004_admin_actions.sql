CREATE TABLE "admin_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bill_number" text NOT NULL,
	"kind" text NOT NULL,
	"amount_kopecks" bigint,
	"currency" text NOT NULL,
	"reason" text,
	"comment" text DEFAULT '' NOT NULL,
	"actor_staff_id" bigint NOT NULL,
	"actor_email" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"gateway_error" jsonb,
	"known_operations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"settled_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "admin_actions_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "admin_actions_kind_known" CHECK ("admin_actions"."kind" in ('charge', 'cancel')),
	CONSTRAINT "admin_actions_state_known" CHECK ("admin_actions"."state" in ('pending', 'succeeded', 'failed', 'unknown')),
	CONSTRAINT "admin_actions_amount_positive" CHECK ("admin_actions"."amount_kopecks" is null or "admin_actions"."amount_kopecks" > 0),
	CONSTRAINT "admin_actions_reason_known" CHECK ("admin_actions"."reason" is null or "admin_actions"."reason" in ('shop', 'customer', 'fraud'))
);
--> statement-breakpoint
ALTER TABLE "admin_actions" ADD CONSTRAINT "admin_actions_actor_staff_id_staff_id_fk" FOREIGN KEY ("actor_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_actions_one_unfinished_per_bill" ON "admin_actions" USING btree ("bill_number") WHERE "admin_actions"."state" in ('pending', 'unknown');--> statement-breakpoint
CREATE INDEX "admin_actions_bill_idx" ON "admin_actions" USING btree ("bill_number","id");--> statement-breakpoint
CREATE INDEX "assist_bills_list_idx" ON "assist_bills" USING btree ("first_seen_at","id");--> statement-breakpoint
CREATE INDEX "assist_bills_status_list_idx" ON "assist_bills" USING btree ("status","first_seen_at","id");--> statement-breakpoint
CREATE INDEX "assist_bills_response_code_idx" ON "assist_bills" USING btree ("response_code","first_seen_at","id");--> statement-breakpoint
CREATE INDEX "assist_bills_bill_number_prefix_idx" ON "assist_bills" USING btree ("bill_number" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "assist_bills_order_number_prefix_idx" ON "assist_bills" USING btree ("order_number" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "assist_bills_flags_idx" ON "assist_bills" USING gin ("flags");