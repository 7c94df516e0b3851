ALTER TABLE "sandbox_bills" ADD COLUMN "protocol" text DEFAULT 'current' NOT NULL;--> statement-breakpoint
ALTER TABLE "sandbox_deliveries" ADD COLUMN "charset" text DEFAULT 'utf-8' NOT NULL;