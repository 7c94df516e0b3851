CREATE TABLE "sandbox_bills" (
	"billnumber" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"order_number" text NOT NULL,
	"order_amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"state" text NOT NULL,
	"delay" boolean NOT NULL,
	"language" text NOT NULL,
	"comment" text,
	"url_return" text,
	"url_return_ok" text,
	"url_return_no" text,
	"customer" jsonb NOT NULL,
	"demo_result" text,
	"held" bigint DEFAULT 0 NOT NULL,
	"captured" bigint DEFAULT 0 NOT NULL,
	"response_code" text,
	"message" text,
	"approval_code" text,
	"mean_number" text,
	"mean_type_name" text,
	"cardholder" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_deliveries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"billnumber" text NOT NULL,
	"seq" integer NOT NULL,
	"url" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_delivery_attempts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_delivery_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"delivery_id" integer NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "sandbox_faults" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_faults_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"service" text NOT NULL,
	"mode" text NOT NULL,
	"remaining" integer NOT NULL,
	"delay_ms" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_operations" (
	"billnumber" text NOT NULL,
	"seq" integer NOT NULL,
	"type" integer NOT NULL,
	"state" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"response_code" text,
	"message" text,
	"approval_code" text,
	"mean_number" text,
	"cancel_reason" integer,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "sandbox_operations_billnumber_seq_pk" PRIMARY KEY("billnumber","seq")
);
--> statement-breakpoint
ALTER TABLE "sandbox_delivery_attempts" ADD CONSTRAINT "sandbox_delivery_attempts_delivery_id_sandbox_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."sandbox_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_operations" ADD CONSTRAINT "sandbox_operations_billnumber_sandbox_bills_billnumber_fk" FOREIGN KEY ("billnumber") REFERENCES "public"."sandbox_bills"("billnumber") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sandbox_bills_order_idx" ON "sandbox_bills" USING btree ("merchant_id","order_number");--> statement-breakpoint
CREATE INDEX "sandbox_bills_created_idx" ON "sandbox_bills" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sandbox_bills_expiry_idx" ON "sandbox_bills" USING btree ("state","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_deliveries_operation_idx" ON "sandbox_deliveries" USING btree ("billnumber","seq");--> statement-breakpoint
CREATE INDEX "sandbox_deliveries_due_idx" ON "sandbox_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "sandbox_operations_started_idx" ON "sandbox_operations" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "sandbox_operations_finished_idx" ON "sandbox_operations" USING btree ("finished_at");