import type { PaymentForm as Form } from '@/lib/assist';
import type { Dictionary } from '@/lib/i18n';
import { formatRoubles } from '@/lib/shop/money-format';
import { PaymentForm } from '../../_components/PaymentForm';

/** Kept constant so a Content-Security-Policy can allow it by hash. */
export const AUTO_SUBMIT_SCRIPT = "document.getElementById('pay-form').submit();";

const STYLE = `body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;background:#fbfaf7;color:#1f2328}
main{max-width:32rem;margin:10vh auto;padding:2rem;background:#fff;border:1px solid #e5e1d8;border-radius:12px;text-align:center}
.button{display:inline-block;background:#9a3412;color:#fff;border:0;border-radius:8px;padding:.7rem 1.4rem;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
.button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}.amount{font-size:1.4rem;font-weight:700}`;

type Props =
  | { kind: 'form'; t: Dictionary; orderNumber: string; amountKopecks: number; currency: string; form: Form }
  | { kind: 'message'; t: Dictionary; message: string; orderUrl?: string };

/** The windows-1251 page that holds the payment form (rendered to a string by the /pay route). */
export function PayPage(props: Props) {
  const { t } = props;
  return (
    <html lang={t.lang}>
      <head>
        <meta charSet="windows-1251" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{t.pay.title}</title>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant stylesheet, no user data */}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <main>
          {props.kind === 'form' ? (
            <>
              <h1>{t.pay.title}</h1>
              <p>
                {t.pay.order}
                {props.orderNumber}
              </p>
              <p className="amount">
                {t.pay.amount}: {formatRoubles(props.amountKopecks, props.currency)}
              </p>
              <p>{t.pay.redirecting}</p>
              <PaymentForm id="pay-form" form={props.form} submitLabel={t.pay.button} />
              {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user data */}
              <script dangerouslySetInnerHTML={{ __html: AUTO_SUBMIT_SCRIPT }} />
            </>
          ) : (
            <>
              <h1>{t.pay.title}</h1>
              <p role="alert">{props.message}</p>
              {props.orderUrl ? (
                <a className="button" href={props.orderUrl}>
                  {t.pay.backToOrder}
                </a>
              ) : null}
            </>
          )}
        </main>
      </body>
    </html>
  );
}
