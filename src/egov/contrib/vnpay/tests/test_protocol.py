"""VNPAY 2.1.0 signatures against vectors computed independently (shared/domain/integration.md
§1.2.2 and §1.2.5: VNPAY's documented example string, HMAC-SHA512 with a made-up secret)."""

from hypothesis import given
from hypothesis import strategies as st

from egov.contrib.vnpay import protocol

SECRET = "TESTSECRETKEY0000000000000000000"
EXAMPLE = {
    "vnp_Amount": "1806000",
    "vnp_Command": "pay",
    "vnp_CreateDate": "20210801153333",
    "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5",
    "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl",
    "vnp_TmnCode": "DEMOV210",
    "vnp_TxnRef": "5",
    "vnp_Version": "2.1.0",
    "vnp_BankCode": "",  # empty values are not signed
}
EXAMPLE_STRING = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND"
    "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5"
    "&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl"
    "&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)
EXAMPLE_HASH = (
    "3c960ec4be2b87becdb91de92e7f219946cafaf1a3c5cebc0b1845487d5fa491"
    "729b32928a738657be374770854b165711ff75a2d23cd1b2a65e305b2a7030ce"
)


def test_payment_signature_matches_the_independent_vector():
    assert protocol.signed_string(EXAMPLE) == EXAMPLE_STRING
    assert protocol.sign(EXAMPLE, SECRET) == EXAMPLE_HASH
    url = protocol.payment_url(
        "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", EXAMPLE, SECRET
    )
    assert url.endswith(f"?{EXAMPLE_STRING}&vnp_SecureHash={EXAMPLE_HASH}")
    signed = {**EXAMPLE, "vnp_SecureHash": EXAMPLE_HASH.upper(), "vnp_SecureHashType": "x"}
    assert protocol.verify(signed, SECRET)  # hash fields are not signed; case ignored


def test_querydr_checksum_matches_the_independent_vector():
    request = {
        "vnp_RequestId": "REQ20250101000001",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": "DEMOV210",
        "vnp_TxnRef": "5",
        "vnp_TransactionDate": "20210801153333",
        "vnp_CreateDate": "20210801160000",
        "vnp_IpAddr": "127.0.0.1",
        "vnp_OrderInfo": "Truy van GD 5",
    }
    assert protocol.pipe_checksum(request, protocol.QUERYDR_REQUEST_FIELDS, SECRET) == (
        "146ff73578bf12fb22129df7aad5d34ccedb433374a4df8db75876e16d02d729"
        "1920c930ee4be68cb88cf5a1eeb884e24ee5651f28d5a22e12a0d84ee876893c"
    )


def test_order_info_is_plain_ascii():
    assert protocol.order_info("Thanh toán hồ sơ 000.00.89.H49-261127-0001: lệ phí") == (
        "Thanh toan ho so 000 00 89 H49 261127 0001 le phi"
    )


values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x1EF9), min_size=1)


@given(params=st.dictionaries(st.from_regex(r"vnp_[A-Za-z]{1,12}", fullmatch=True), values))
def test_any_signed_request_verifies_and_any_change_breaks_it(params):
    params.pop("vnp_SecureHash", None)
    params.pop("vnp_SecureHashType", None)
    signed = {**params, "vnp_SecureHash": protocol.sign(params, SECRET)}
    assert protocol.verify(signed, SECRET)
    assert not protocol.verify(signed, SECRET + "x")
    for name, value in params.items():
        changed = value[:-1] + ("a" if value[-1] != "a" else "b")
        assert not protocol.verify({**signed, name: changed}, SECRET)


def test_querydr_answers_with_a_wrong_checksum_are_not_trusted():
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    import pytest

    from egov.contrib.vnpay.client import Merchant, VnpayError, querydr

    answer = {"vnp_ResponseId": "1", "vnp_Command": "querydr", "vnp_ResponseCode": "00"}
    answer["vnp_SecureHash"] = protocol.pipe_checksum(
        answer, protocol.QUERYDR_RESPONSE_FIELDS, "not-the-merchant-secret"
    )

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            return

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        merchant = Merchant(f"http://127.0.0.1:{server.server_address[1]}/", "DEMOV210", SECRET)
        with pytest.raises(VnpayError, match="invalid checksum"):
            querydr(merchant, txn_ref="5", order_info="Truy van", transaction_date="20261127")
    finally:
        server.shutdown()
        server.server_close()
