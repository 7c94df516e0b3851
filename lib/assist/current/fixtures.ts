/**
 * Reply fixtures shaped like those captured in public ASSIST SDK tests (docs/assist-protocol.md §5): inline DTD,
 * padded values, mixed quotes, packetdate without seconds, bare `<order>` and `<orders><order>`.
 * Shared by the parser tests, the HTTP client tests and the benchmark.
 */

export const ORDERSTATE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE result [
  <!ELEMENT result (order*)>
  <!ATTLIST result firstcode CDATA #REQUIRED secondcode CDATA #REQUIRED count CDATA #IMPLIED>
  <!ELEMENT order (ordernumber, billnumber, orderamount, ordercurrency, orderstate, packetdate, signature?, checkvalue?)>
]>
<result firstcode='0' secondcode="0" count="2">
<order>
  <ordernumber>A-1001</ordernumber>
  <billnumber>5960911012345678</billnumber>
  <orderamount> 1500.00 </orderamount>
  <ordercurrency>RUB</ordercurrency>
  <orderstate>Approved</orderstate>
  <packetdate>27.09.2016 23:24</packetdate>
  <signature>TUlHZk1BMEdDU3FHU0liM0RRRUJBUVVBQTRHTkFEQ0JpUUtCZ1FD</signature>
  <checkvalue>6C4CBB5F2A9A4E1D8A3D2A0F7E1B9C11</checkvalue>
</order>
<order>
  <ordernumber>A-1001</ordernumber>
  <billnumber>5960911012345700</billnumber>
  <orderamount>1500.00</orderamount>
  <ordercurrency>RUB</ordercurrency>
  <orderstate>Timeout</orderstate>
  <packetdate>27.09.2016 23:40:05</packetdate>
  <newfield>kept raw</newfield>
</order>
</result>`;

export const ORDERRESULT_XML = `<?xml version="1.0" encoding="UTF-8"?>
<result firstcode="0" secondcode="0" count="1">
<order>
  <ordernumber>B-77</ordernumber>
  <billnumber>5960911012345801</billnumber>
  <testmode>0</testmode>
  <orderamount>100.00</orderamount>
  <ordercurrency>RUB</ordercurrency>
  <orderstate>PartialCanceled</orderstate>
  <packetdate>02.10.2016 10:00:00</packetdate>
  <operation>
    <billnumber>5960911012345801.1</billnumber>
    <operationtype>100</operationtype>
    <operationstate>Success</operationstate>
    <amount> 100.00 </amount>
    <currency>RUB</currency>
    <operationdate>01.10.2016 09:00:00</operationdate>
    <responsecode>AS000</responsecode>
    <message>Успешно</message>
    <meannumber>411111******1111</meannumber>
    <approvalcode>A1B2C3</approvalcode>
  </operation>
  <operation>
    <billnumber>5960911012345801.2</billnumber>
    <operationtype>300</operationtype>
    <operationstate>Success</operationstate>
    <amount>30.00</amount>
    <currency>RUB</currency>
    <operationdate>02.10.2016 09:59</operationdate>
    <responsecode>AS000</responsecode>
    <message/>
  </operation>
</order>
</result>`;

export const CHARGE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<result firstcode='0' secondcode='0'>
<orders>
<order>
  <ordernumber>C-5</ordernumber>
  <billnumber>5960911012345900</billnumber>
  <orderamount>200.00</orderamount>
  <ordercurrency>RUB</ordercurrency>
  <orderstate>PartialDelayed</orderstate>
  <packetdate>03.10.2016 12:00:00</packetdate>
  <operation>
    <billnumber>5960911012345900.2</billnumber>
    <operationtype>200</operationtype>
    <operationstate>Success</operationstate>
    <amount>150.00</amount>
    <currency>RUB</currency>
    <operationdate>03.10.2016 12:00:00</operationdate>
    <responsecode>AS000</responsecode>
  </operation>
</order>
</orders>
</result>`;

export const EMPTY_XML = `<?xml version="1.0" encoding="UTF-8"?><result firstcode="0" secondcode="0" count="0"></result>`;

export const ERROR_XML = `<?xml version="1.0" encoding="UTF-8"?><result firstcode="5" secondcode="108" count="0"/>`;

export const FREQUENCY_XML = `<?xml version="1.0" encoding="UTF-8"?><result firstcode="1" secondcode="3"/>`;

export const XXE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE result [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<result firstcode="0" secondcode="0"><order><ordernumber>&xxe;</ordernumber><billnumber>1</billnumber><orderstate>Approved</orderstate></order></result>`;

export const BILLION_LAUGHS_XML = `<?xml version="1.0"?>
<!DOCTYPE result [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<result firstcode="0" secondcode="0"><order><ordernumber>&lol3;</ordernumber><billnumber>1</billnumber><orderstate>Approved</orderstate></order></result>`;

export const REPORT_CSV = [
  'OrderNumber;BillNumber;OrderState;OrderAmount;OrderCurrency;OperationType;OperationState;Amount;Currency;OperationDate;PacketDate;ResponseCode;Message;Lastname;BankName;',
  'A-1;5960911000000001.1;Approved;1500.00;RUB;100;Success;1500.00;RUB;01.10.2016 09:00:00;01.10.2016 09:00:01;AS000;Успешно;Иванов;Сбербанк;',
  'A-1;5960911000000001.2;PartialCanceled;1500.00;RUB;300;Success; 500.00 ;RUB;02.10.2016 10:00;02.10.2016 10:00:02;AS000;"Возврат; частичный";Иванов;Сбербанк;',
  'A-2;5960911000000002.1;Declined;99.99;RUB;100;Declined;99.99;RUB;01.10.2016 11:00:00;01.10.2016 11:00:00;AS102;Недостаточно средств;Петров;"ВТБ ""24""";',
].join('\r\n');
