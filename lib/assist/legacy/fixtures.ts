/**
 * Legacy (2010) protocol fixtures in the shapes django-assist-ru's tests used (docs/assist-protocol.md §8): the
 * results.cfm CSV with its 31 columns (a Cyrillic comment holding the separator, `UNKNOWN` cells, the
 * `Paket date` spelling, a trailing separator), `ERROR:` lines and postauth/rvr reply lines.
 */

const HEADER =
  'Order Number;Result Code;Recommendation;Message;Comment;Order Date;Order Total;Currency Code;Card Type;' +
  'Card Number;Lastname;Firstname;Middlename;Address;E-mail;Country Code;Currency rate;Approval Code;' +
  'Mean Subtype;CVC2 Exist;Cardholder;IP-address;Protocol Type;Payment No.;Bank issuer;Order State;' +
  'Processing System Response Code;Processing System Response Code Description;Paket date;' +
  'Processing System Name;Payment Type;';

function row(v: {
  order: string;
  code?: string;
  message?: string;
  comment?: string;
  orderDate: string;
  total: string;
  card?: string;
  bill: string;
  state: string;
  paket: string;
  type: string;
}): string {
  return [
    v.order,
    v.code ?? 'AS000',
    '',
    v.message ?? '',
    v.comment ?? '',
    v.orderDate,
    v.total,
    'RUB',
    'VISA',
    v.card ?? 'UNKNOWN',
    'Иванов',
    'Иван',
    'UNKNOWN',
    '',
    'ivan@example.ru',
    'RU',
    '1',
    '123456',
    'UNKNOWN',
    'Y',
    'IVAN IVANOV',
    '192.0.2.10',
    'HTTPS',
    v.bill,
    'UNKNOWN',
    v.state,
    '00',
    'Approved',
    v.paket,
    'UNKNOWN',
    v.type,
    '',
  ].join(';');
}

/** A-1001 paid in an earlier tab (15-digit billnumber: the one string sorting puts last); B-77 held then captured in part; C-5 refunded in part, then a refund refused; D-9 still in process. */
export const LEGACY_REPORT_CSV = [
  HEADER,
  row({
    order: 'A-1001',
    comment: '"Заказ №1001; доставка курьером, ""до двери"""',
    orderDate: '27.09.2010 23:20:00',
    total: '1500.00',
    card: '411111****1111',
    bill: '999999999999999',
    state: 'Authorized',
    paket: '27.09.2010 23:24:05',
    type: '1',
  }),
  row({
    order: 'A-1001',
    code: 'AS100',
    message: 'Отказ в авторизации',
    orderDate: '27.09.2010 23:21:00',
    total: '1500.00',
    bill: '1000000000000001',
    state: 'Not authorized',
    paket: '27.09.2010 23:25:00',
    type: '1',
  }),
  row({
    order: 'B-77',
    orderDate: '01.10.2010 10:00:00',
    total: '2000.00',
    bill: '1000000000000123',
    state: 'Preauthorized',
    paket: '01.10.2010 10:01:00',
    type: '2',
  }),
  row({
    order: 'B-77',
    orderDate: '01.10.2010 10:00:00',
    total: '1500.00',
    bill: '1000000000000123',
    state: 'Captured',
    paket: '03.10.2010 12:00:00',
    type: '3',
  }),
  row({
    order: 'C-5',
    orderDate: '05.10.2010 09:00:00',
    total: '100.00',
    bill: '1000000000000200',
    state: 'Authorized',
    paket: '05.10.2010 09:01:00',
    type: '1',
  }),
  row({
    order: 'C-5',
    orderDate: '05.10.2010 09:00:00',
    total: '30.00',
    bill: '1000000000000200',
    state: 'Refunded',
    paket: '06.10.2010 11:00:00',
    type: '4',
  }),
  row({
    order: 'C-5',
    code: 'AS100',
    orderDate: '05.10.2010 09:00:00',
    total: '70.00',
    bill: '1000000000000200',
    state: 'Not Refunded',
    paket: '07.10.2010 11:00:00',
    type: '4',
  }),
  row({
    order: 'D-9',
    code: '',
    orderDate: '08.10.2010 08:00:00',
    total: '10.00',
    bill: '1000000000000300',
    state: 'in process',
    paket: 'UNKNOWN',
    type: '1',
  }),
].join('\r\n');

export const LEGACY_ERROR_REPLY = 'ERROR:Неверный логин или пароль\r\n';

export const POSTAUTH_OK =
  'Billnumber:1000000000000123;OrderNumber:B-77;Subtotal_P:1500.00;Currency:RUB;Status:Captured;' +
  'PaymentType:3;Response_Code:AS000;PacketDate:03.10.2010 12:00:00;ERROR:\r\n';

export const RVR_OK =
  'Billnumber:1000000000000200;OrderNumber:C-5;Subtotal_P:30.00;Currency:RUB;Status:Refunded;' +
  'PaymentType:4;Response_Code:AS000;PacketDate:06.10.2010 11:00:00;ERROR:';

export const POSTAUTH_ERROR = 'Billnumber:1000000000000123;ERROR:Bill is not preauthorized\n';
