"""The simulator's own memory of the transactions it played (for querydr and the
"unique vnp_TxnRef per day" rule). Unused when the real gateway is configured."""

from __future__ import annotations

from django.db import models


class SimulatedTransaction(models.Model):
    txn_ref = models.CharField(max_length=100)
    day = models.DateField()
    amount = models.CharField(max_length=12)
    order_info = models.CharField(max_length=255)
    create_date = models.CharField(max_length=14)
    pay_date = models.CharField(max_length=14, blank=True)
    response_code = models.CharField(max_length=2, blank=True)
    transaction_status = models.CharField(max_length=2, blank=True)
    merchant_answer = models.CharField(max_length=4, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["txn_ref", "day"], name="vnpay_sim_txnref_per_day")
        ]

    def __str__(self) -> str:
        return self.txn_ref

    @property
    def transaction_no(self) -> str:
        return f"{14000000 + self.pk:08d}"
