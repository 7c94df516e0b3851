CREATE TABLE "throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"until" timestamp with time zone DEFAULT 'epoch' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "reached_gateway_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "throttles_updated_at_idx" ON "throttles" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "orders_unpaid_expires_idx" ON "orders" USING btree ("expires_at") WHERE "orders"."payment_status" = 'unpaid';