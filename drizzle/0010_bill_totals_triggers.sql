-- assist_bill_totals follows assist_bills: every statement that writes bills appends, per currency, the
-- difference it made to the count and the held, charged and returned sums, in the writer's transaction.
-- Statement triggers with transition tables: a sync writing a thousand bills in one statement appends one
-- row per currency, not a thousand. Separate triggers per event: a trigger with transition tables may
-- have only one. The writer never reads or updates an existing totals row, so bill writers never wait
-- on each other here (see the table's comment in lib/payments/schema.ts).
CREATE OR REPLACE FUNCTION "assist_bill_totals_append"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "assist_bill_totals" ("currency", "bills", "held_kopecks", "charged_kopecks", "returned_kopecks")
    SELECT coalesce("currency", ''), count(*),
      coalesce(sum("amount_kopecks") FILTER (WHERE "status" = 'held'), 0),
      sum("charged_kopecks"), sum("returned_kopecks")
    FROM "new_bills" GROUP BY 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "assist_bill_totals" ("currency", "bills", "held_kopecks", "charged_kopecks", "returned_kopecks")
    SELECT coalesce("currency", ''), -count(*),
      -coalesce(sum("amount_kopecks") FILTER (WHERE "status" = 'held'), 0),
      -sum("charged_kopecks"), -sum("returned_kopecks")
    FROM "old_bills" GROUP BY 1;
  ELSE
    -- Most updates move no money (a re-read, a checked-at stamp): they cancel out and append nothing.
    INSERT INTO "assist_bill_totals" ("currency", "bills", "held_kopecks", "charged_kopecks", "returned_kopecks")
    SELECT "currency", sum("bills"), sum("held"), sum("charged"), sum("returned")
    FROM (
      SELECT coalesce("currency", '') AS "currency", 1 AS "bills",
        CASE WHEN "status" = 'held' THEN coalesce("amount_kopecks", 0) ELSE 0 END AS "held",
        "charged_kopecks" AS "charged", "returned_kopecks" AS "returned"
      FROM "new_bills"
      UNION ALL
      SELECT coalesce("currency", ''), -1,
        CASE WHEN "status" = 'held' THEN -coalesce("amount_kopecks", 0) ELSE 0 END,
        -"charged_kopecks", -"returned_kopecks"
      FROM "old_bills"
    ) AS "d"
    GROUP BY 1
    HAVING sum("bills") <> 0 OR sum("held") <> 0 OR sum("charged") <> 0 OR sum("returned") <> 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "assist_bill_totals_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "assist_bill_totals";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Held from here to the end of the migration's transaction: no bill is written between the triggers
-- taking over and the backfill reading the table, so the two neither miss nor double-count a bill.
LOCK TABLE "assist_bills" IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
CREATE TRIGGER "assist_bill_totals_insert" AFTER INSERT ON "assist_bills" REFERENCING NEW TABLE AS "new_bills" FOR EACH STATEMENT EXECUTE FUNCTION "assist_bill_totals_append"();
--> statement-breakpoint
CREATE TRIGGER "assist_bill_totals_update" AFTER UPDATE ON "assist_bills" REFERENCING OLD TABLE AS "old_bills" NEW TABLE AS "new_bills" FOR EACH STATEMENT EXECUTE FUNCTION "assist_bill_totals_append"();
--> statement-breakpoint
CREATE TRIGGER "assist_bill_totals_delete" AFTER DELETE ON "assist_bills" REFERENCING OLD TABLE AS "old_bills" FOR EACH STATEMENT EXECUTE FUNCTION "assist_bill_totals_append"();
--> statement-breakpoint
CREATE TRIGGER "assist_bill_totals_truncate" AFTER TRUNCATE ON "assist_bills" FOR EACH STATEMENT EXECUTE FUNCTION "assist_bill_totals_clear"();
--> statement-breakpoint
INSERT INTO "assist_bill_totals" ("currency", "bills", "held_kopecks", "charged_kopecks", "returned_kopecks")
SELECT coalesce("currency", ''), count(*),
  coalesce(sum("amount_kopecks") FILTER (WHERE "status" = 'held'), 0),
  sum("charged_kopecks"), sum("returned_kopecks")
FROM "assist_bills" GROUP BY 1;
