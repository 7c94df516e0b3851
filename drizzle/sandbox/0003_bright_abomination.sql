ALTER TABLE "sandbox_faults" ADD COLUMN "response_code" text;--> statement-breakpoint
ALTER TABLE "sandbox_operations" ADD COLUMN "settles_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sandbox_operations" ADD COLUMN "settle_code" text;