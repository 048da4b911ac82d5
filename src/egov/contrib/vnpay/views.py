"""The simulator's pages: VNPAY's payment page (choose an outcome) and its transaction API."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from egov.contrib.vnpay import simulator


def pay_page(request: HttpRequest) -> HttpResponse:
    params = (request.POST if request.method == "POST" else request.GET).dict()
    outcome = params.pop("outcome", "")
    params.pop("csrfmiddlewaretoken", None)
    problem = simulator.request_problem(params)
    if problem is not None:
        return render(request, "vnpay/error.html", {"problem": problem}, status=400)
    if request.method != "POST" or outcome not in simulator.OUTCOMES:
        amount = int(params["vnp_Amount"]) // 100
        return render(
            request,
            "vnpay/pay.html",
            {"params": params, "amount": amount, "order": params["vnp_OrderInfo"]},
        )
    result = simulator.play(params, outcome)
    # The merchant's IPN URL is registered with VNPAY; the simulator serves the same site.
    simulator.call_ipn(request.build_absolute_uri(reverse("payments:vnpay_ipn")), result)
    return redirect(f"{params['vnp_ReturnUrl']}?{urlencode(result)}")


@csrf_exempt  # server-to-server JSON API, authenticated by its checksum
@require_POST
def transaction_api(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except ValueError:
        return JsonResponse({"vnp_ResponseCode": "03", "vnp_Message": "Invalid format"})
    if body.get("vnp_Command") != "querydr":
        return JsonResponse({"vnp_ResponseCode": "03", "vnp_Message": "Unsupported command"})
    return JsonResponse(simulator.querydr(body))
