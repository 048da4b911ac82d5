"""Demo knowledge base (issue 17 §7): questions people ask about procedures of the demo
catalog, answered from the catalog's own data (components, time limits, fees and the legal
basis quoted there) — nothing beyond what the procedure pages say. Written by the provincial
centre's hotline operator, published by the centre's leader. Loading again adds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from egov.accounts.models import User
from egov.helpdesk.models import Question
from egov.helpdesk.selectors import procedure_by_code
from egov.helpdesk.services import QuestionInput, question_create, question_move
from egov.helpdesk.state import QuestionAction
from egov.org.models import Unit

CENTRE = "qn.ttpvhcc"
OPERATOR = "tinh.tongdaivien"
LEADER = "tinh.lanhdaotrungtam"


@dataclass(frozen=True)
class DemoQuestion:
    procedure: str
    question: str
    answer: str
    legal_basis: str = ""


DEMO_QUESTIONS = [
    DemoQuestion(
        "1.000894",
        "Đăng ký kết hôn có mất lệ phí không, bao lâu thì có giấy chứng nhận?",
        "Đăng ký kết hôn tại Ủy ban nhân dân cấp xã được miễn lệ phí. Hồ sơ đủ thì được "
        "giải quyết ngay trong ngày tiếp nhận; hai bên cùng có mặt khi đăng ký.",
        "Luật Hộ tịch 03/2026/QH16 (điều khoản miễn lệ phí chưa đối chiếu)",
    ),
    DemoQuestion(
        "1.000894",
        "Đi đăng ký kết hôn cần mang theo những giấy tờ gì?",
        "Tờ khai đăng ký kết hôn (theo mẫu), Giấy xác nhận tình trạng hôn nhân và giấy tờ "
        "tùy thân của hai bên (thẻ căn cước, thẻ căn cước công dân hoặc hộ chiếu còn thời "
        "hạn).\n\nDanh sách đầy đủ, kể cả trường hợp cần thêm giấy tờ, xem mục Thành phần hồ "
        "sơ trên trang thủ tục.",
        "Luật Hộ tịch 03/2026/QH16",
    ),
    DemoQuestion(
        "1.001193",
        "Làm giấy khai sinh cho con cần những gì, có mất phí không?",
        "Cần Tờ khai đăng ký khai sinh, bản chính Giấy chứng sinh và giấy tờ tùy thân của "
        "người đi đăng ký. Đăng ký khai sinh được miễn lệ phí và được giải quyết ngay khi hồ "
        "sơ đầy đủ.",
        "Luật Hộ tịch 03/2026/QH16 (điều khoản miễn lệ phí chưa đối chiếu)",
    ),
    DemoQuestion(
        "1.004194",
        "Lệ phí đăng ký tạm trú là bao nhiêu? Nộp trực tuyến có rẻ hơn không?",
        "Nộp trực tiếp: 15.000 đồng. Nộp trực tuyến: 7.000 đồng. Thời hạn giải quyết là 3 "
        "ngày làm việc kể từ khi nhận đủ hồ sơ; hồ sơ gồm Tờ khai thay đổi thông tin cư trú "
        "(mẫu CT01).",
        "TT 75/2022/TT-BTC",
    ),
    DemoQuestion(
        "1.004222",
        "Đăng ký thường trú mất bao lâu và cần giấy tờ gì?",
        "Thời hạn giải quyết là 7 ngày làm việc. Hồ sơ gồm Tờ khai thay đổi thông tin cư trú "
        "(mẫu CT01) và giấy tờ, tài liệu chứng minh chỗ ở hợp pháp. Lệ phí: 20.000 đồng khi "
        "nộp trực tiếp, 10.000 đồng khi nộp trực tuyến.",
        "Luật Cư trú 68/2020/QH14; TT 75/2022/TT-BTC",
    ),
    DemoQuestion(
        "1.010038",
        "Tách hộ có mất phí không, bao lâu thì xong?",
        "Lệ phí tách hộ là 10.000 đồng khi nộp trực tiếp và 5.000 đồng khi nộp trực tuyến. "
        "Thời hạn giải quyết là 5 ngày làm việc.",
        "TT 75/2022/TT-BTC",
    ),
    DemoQuestion(
        "qn-cap-phieu-ly-lich-tu-phap",
        "Xin Phiếu lý lịch tư pháp mất bao lâu và phí bao nhiêu?",
        "Thời hạn là 10 ngày kể từ ngày nhận đủ hồ sơ. Phí cung cấp thông tin lý lịch tư "
        "pháp là 200.000 đồng mỗi phiếu. Hồ sơ gồm Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp; "
        "nếu nhờ người khác làm thay thì kèm văn bản ủy quyền.",
        "Luật Lý lịch tư pháp 28/2009/QH12; TT 244/2016/TT-BTC",
    ),
    DemoQuestion(
        "2.000884",
        "Chứng thực chữ ký mất bao nhiêu tiền?",
        "Phí chứng thực chữ ký là 10.000 đồng cho mỗi trường hợp và được giải quyết trong "
        "ngày. Người yêu cầu mang theo thẻ căn cước (hoặc giấy tờ tùy thân còn thời hạn) và "
        "giấy tờ, văn bản sẽ ký; ký trước mặt người thực hiện chứng thực.",
        "NĐ 23/2015/NĐ-CP; TT 226/2016/TT-BTC",
    ),
    DemoQuestion(
        "2.000815",
        "Chứng thực bản sao từ bản chính tính phí thế nào?",
        "Phí tính theo số trang của bản chính, không theo số trang bản sao. Trang thông tin "
        "thủ tục có cách tính và ví dụ cụ thể. Mang theo bản chính để đối chiếu; việc chứng "
        "thực được giải quyết trong ngày.",
        "NĐ 23/2015/NĐ-CP; TT 226/2016/TT-BTC",
    ),
    DemoQuestion(
        "2.000635",
        "Xin bản sao trích lục hộ tịch (ví dụ trích lục khai sinh) mất phí bao nhiêu?",
        "Phí cấp bản sao trích lục hộ tịch là 8.000 đồng mỗi bản, được cấp ngay. Cần Tờ "
        "khai cấp bản sao trích lục hộ tịch.",
        "TT 281/2016/TT-BTC",
    ),
    DemoQuestion(
        "1.001612",
        "Đăng ký hộ kinh doanh có nộp trực tuyến được không, bao lâu có giấy chứng nhận?",
        "Được: thủ tục nhận hồ sơ trực tiếp và trực tuyến. Thời hạn giải quyết là 3 ngày làm "
        "việc. Hồ sơ gồm Giấy đề nghị đăng ký hộ kinh doanh, bản sao giấy tờ pháp lý của cá "
        "nhân và, khi các thành viên hộ gia đình cùng đăng ký, biên bản họp thành viên hộ gia "
        "đình và văn bản ủy quyền.",
        "NĐ 168/2025/NĐ-CP",
    ),
]


def load_demo_questions() -> int:
    """Publish the demo questions not yet in the knowledge base; how many were added."""
    centre = Unit.objects.get(key=CENTRE)
    operator = User.objects.get(username=OPERATOR)
    leader = User.objects.get(username=LEADER)
    added = 0
    for item in DEMO_QUESTIONS:
        if Question.objects.filter(unit=centre, question=item.question).exists():
            continue
        question = question_create(
            actor=operator,
            unit=centre,
            data=QuestionInput(
                question=item.question,
                answer=item.answer,
                procedure=procedure_by_code(item.procedure),
                legal_basis=item.legal_basis,
            ),
        )
        question_move(actor=operator, question=question, action=QuestionAction.SUBMIT)
        question_move(actor=leader, question=question, action=QuestionAction.PUBLISH)
        added += 1
    return added
