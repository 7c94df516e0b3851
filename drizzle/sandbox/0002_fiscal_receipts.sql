CREATE TABLE "sandbox_fiscal_receipts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_fiscal_receipts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"billnumber" text NOT NULL,
	"order_number" text NOT NULL,
	"type" text NOT NULL,
	"items" jsonb NOT NULL,
	"amount" bigint NOT NULL,
	"email" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sandbox_bills" ADD COLUMN "cheque" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_fiscal_receipts_operation_idx" ON "sandbox_fiscal_receipts" USING btree ("billnumber","type");