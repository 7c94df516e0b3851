CREATE TABLE "assist_bill_totals" (
	"currency" text NOT NULL,
	"bills" bigint NOT NULL,
	"held_kopecks" bigint NOT NULL,
	"charged_kopecks" bigint NOT NULL,
	"returned_kopecks" bigint NOT NULL
);
