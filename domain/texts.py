"""The one catalogue of user-facing Vietnamese text.

Every message a user can see is here, so wording, tone ("đồng chí", official terms) and
diacritics can be reviewed in one place. Templates use str.format placeholders.
"""

from __future__ import annotations

# --- general -------------------------------------------------------------------------------
INTERNAL_ERROR = (
    "Xin lỗi đồng chí, hệ thống gặp sự cố khi xử lý yêu cầu này. Dữ liệu chưa bị thay đổi; "
    "đồng chí vui lòng thử lại sau ít phút."
)
TOO_LONG = (
    "Tin nhắn quá dài ({n} ký tự). Đồng chí vui lòng gửi tối đa {limit} ký tự, "
    "chia thành nhiều tin nếu cần."
)
EMPTY_INPUT = "Chưa nhận được nội dung. Đồng chí gõ /trogiup để xem các việc có thể làm."
UNKNOWN_COMMAND = "Không có lệnh /{command}. Đồng chí gõ /trogiup để xem các lệnh."
UNKNOWN_INPUT = "Chưa hiểu yêu cầu của đồng chí. Gõ /trogiup để xem các lệnh."
STALE_CHOICE = "Lựa chọn này đã hết hiệu lực. Đồng chí gõ lại lệnh, ví dụ /nguon, để bắt đầu lại."
DIALOG_EXPIRED = "Phiên nhập liệu trước đã hết hạn do lâu không trả lời; dữ liệu dở dang chưa được lưu."
NOT_REGISTERED = (
    "Đồng chí chưa đăng ký sử dụng Chibot. Đồng chí gửi mã mời do cấp ủy cấp, "
    "ví dụ: /start ABCD2345"
)
WRONG_ROLE = "Lệnh /{command} không dành cho vai trò của đồng chí. Gõ /trogiup để xem các lệnh được dùng."
OUT_OF_SCOPE = "Đồng chí không có quyền xem hoặc thay đổi dữ liệu của {unit}."
PRIVATE_ONLY = (
    "Việc này liên quan đến dữ liệu cá nhân nên chỉ thực hiện trong trò chuyện riêng với Chibot, "
    "không thực hiện trong nhóm."
)
OPEN_PRIVATE_CHAT = "Mở trò chuyện riêng"
CANCELLED = "Đã hủy thao tác đang làm. Dữ liệu dở dang không được lưu."
NOTHING_TO_CANCEL = "Hiện không có thao tác nào đang làm. Gõ /trogiup để xem các lệnh."

ROLE_NAMES = {"secretary": "bí thư chi bộ", "staff": "cán bộ cấp ủy", "admin": "quản trị"}

# --- registration (/start) -----------------------------------------------------------------
GREETING_NEW = (
    "Chào đồng chí! Chibot hỗ trợ công tác phát triển đảng viên: ghi nhận nguồn quần chúng ưu tú, "
    "đánh giá hằng quý, kết nạp và công nhận đảng viên chính thức.\n"
    "Để đăng ký, đồng chí gửi mã mời do cấp ủy cấp, ví dụ: /start ABCD2345"
)
GREETING_LINKED = "Chào đồng chí {name}, {role} — {unit}. Gõ /trogiup để xem các việc có thể làm."
START_LINKED = (
    "✅ Đã đăng ký: đồng chí {name} là {role} của {unit}. Gõ /trogiup để xem các việc có thể làm."
)
START_ALREADY_LINKED = (
    "Tài khoản này đã được đăng ký là {role} của {unit}; mã mời không được dùng. "
    "Cần đổi vai trò hoặc đơn vị, đồng chí liên hệ cấp ủy cấp trên."
)
START_BAD_CODE = (
    "Mã mời không đúng. Đồng chí kiểm tra lại mã (8 ký tự, ví dụ /start ABCD2345). "
    "Còn {left} lần thử trong giờ này."
)
START_EXPIRED = "Mã mời này đã hết hạn ngày {date}. Đồng chí xin cấp ủy cấp mã mới."
START_USED_UP = "Mã mời này đã được dùng hết số lần cho phép. Đồng chí xin cấp ủy cấp mã mới."
START_LOCKED = (
    "Tài khoản đã nhập sai mã mời quá 5 lần trong một giờ nên tạm bị từ chối đến {time}. "
    "Đồng chí kiểm tra lại mã với cấp ủy rồi thử lại sau."
)
START_IN_GROUP = "Đồng chí gửi mã mời trong trò chuyện riêng với Chibot, không gửi trong nhóm."

# --- invites in chat (/moi) ----------------------------------------------------------------
INVITE_USAGE = (
    "Cách tạo mã mời: /moi MÃ_ĐƠN_VỊ; vai trò[; số lần dùng]\n"
    "vai trò là \"bí thư\" (cho chi bộ) hoặc \"cán bộ\". Ví dụ: /moi CB001; bí thư"
)
INVITE_UNKNOWN_ORG = "Không tìm thấy đơn vị có mã \"{code}\". Đồng chí xem mã đơn vị bằng /tinhhinh."
INVITE_BAD_ROLE = "Vai trò \"{role}\" không hợp lệ. Dùng \"bí thư\" hoặc \"cán bộ\". Ví dụ: /moi CB001; bí thư"
INVITE_BAD_USES = "Số lần dùng phải là số từ 1 đến 100. Ví dụ: /moi CB001; bí thư; 3"
INVITE_NOT_ALLOWED = (
    "Đồng chí không thể mời {role} cho {unit}: chỉ mời được trong đơn vị mình phụ trách, "
    "và bí thư chỉ mời cho chi bộ."
)
INVITE_CREATED = (
    "Mã mời {role} cho {unit}: {code}\n"
    "Dùng được {uses} lần, hết hạn ngày {expires}. Người được mời gửi cho Chibot: /start {code}"
)
INVITE_LINK = "Hoặc mở liên kết: {link}"

# --- help (/trogiup) -----------------------------------------------------------------------
HELP_GUEST = (
    "Chibot — trợ lý công tác phát triển đảng viên.\n"
    "/start MÃ — đăng ký bằng mã mời do cấp ủy cấp\n"
    "/trogiup — xem hướng dẫn\n"
    "Sau khi đăng ký, đồng chí có thể hỏi về Chỉ thị 13-CT/TU và quy định kết nạp đảng viên."
)
HELP_SECRETARY = (
    "Các việc bí thư chi bộ làm với Chibot:\n"
    "/nguon — thêm nguồn quần chúng ưu tú (hoặc: /nguon Họ tên; dd/mm/yyyy; nhóm)\n"
    "/dsnguon — danh sách nguồn của chi bộ; /suanguon, /xoanguon — sửa, đưa ra khỏi nguồn\n"
    "/lopnhanthuc — ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng\n"
    "/danhgia — đánh giá quần chúng hằng quý (hoặc: /danhgia N12; tốt; nhận xét)\n"
    "/ketnap — ghi nhận kết nạp đảng viên (hoặc: /ketnap N12; dd/mm/yyyy; số quyết định)\n"
    "/chinhthuc — công nhận đảng viên chính thức (hoặc: /chinhthuc N12; dd/mm/yyyy)\n"
    "/tinhhinh — tình hình của chi bộ\n"
    "/hoantac — hoàn tác thay đổi gần nhất (trong 10 phút)\n"
    "/huy — hủy thao tác đang làm\n"
    "Gõ câu hỏi bất kỳ về Chỉ thị 13-CT/TU hoặc quy định kết nạp để được giải đáp."
)
HELP_STAFF = (
    "Các việc cán bộ cấp ủy làm với Chibot:\n"
    "/tinhhinh [MÃ_ĐƠN_VỊ] — tình hình đơn vị mình phụ trách, xem chi tiết từng cấp\n"
    "/moi MÃ_ĐƠN_VỊ; bí thư — tạo mã mời cho bí thư chi bộ hoặc cán bộ trong đơn vị\n"
    "/huy — hủy thao tác đang làm\n"
    "Gõ câu hỏi bất kỳ về Chỉ thị 13-CT/TU hoặc quy định kết nạp để được giải đáp."
)
HELP_ADMIN = HELP_STAFF
HELP_GROUP = (
    "Trong nhóm, Chibot chỉ trả lời câu hỏi về Chỉ thị 13-CT/TU và quy định kết nạp đảng viên. "
    "Các việc có dữ liệu cá nhân, đồng chí làm trong trò chuyện riêng với Chibot."
)

# --- questions -----------------------------------------------------------------------------
FAQ_SOURCE = "Nguồn: {source}"
FAQ_UNAVAILABLE = "Chức năng hỏi đáp chưa sẵn sàng. Đồng chí vui lòng hỏi {contact}."
FAQ_REGISTER_FIRST = (
    "Chức năng hỏi đáp dành cho người đã đăng ký. Đồng chí gửi mã mời do cấp ủy cấp, "
    "ví dụ: /start ABCD2345"
)

# --- organisation import (chibot org import) --------------------------------------------
IMPORT_NO_FILE = "Không tìm thấy tệp {path}."
IMPORT_BAD_FORMAT = "Tệp {path} không đọc được: chỉ nhận CSV (UTF-8) hoặc XLSX. ({detail})"
IMPORT_MISSING_COLUMNS = "Thiếu cột: {columns}. Dòng tiêu đề phải là: code,parent_code,name,kind,members"
IMPORT_EMPTY = "Tệp không có dòng dữ liệu nào."
IMPORT_ROW_EMPTY_CODE = "Dòng {row}: thiếu mã đơn vị (cột code)."
IMPORT_ROW_LONG_CODE = "Dòng {row}: mã đơn vị dài quá 64 ký tự."
IMPORT_ROW_EMPTY_NAME = "Dòng {row}: thiếu tên đơn vị (cột name)."
IMPORT_ROW_BAD_KIND = "Dòng {row}: loại đơn vị \"{kind}\" không hợp lệ; dùng province, district, grassroots hoặc cell."
IMPORT_ROW_BAD_MEMBERS = "Dòng {row}: số đảng viên \"{members}\" phải là số nguyên không âm."
IMPORT_ROW_DUPLICATE = "Dòng {row}: mã đơn vị \"{code}\" trùng với dòng {first}."
IMPORT_ROW_UNKNOWN_PARENT = "Dòng {row}: đơn vị cha \"{parent}\" không có trong tệp cũng như trong cơ sở dữ liệu."
IMPORT_ROW_SELF_PARENT = "Dòng {row}: đơn vị \"{code}\" không thể là cha của chính nó."
IMPORT_CYCLE = "Các dòng {rows}: quan hệ cha–con tạo thành vòng lặp ({codes})."
IMPORT_REFUSED = "Không nhập dữ liệu nào vì tệp có {n} lỗi:"
IMPORT_DONE = "Đã nhập {total} đơn vị: thêm mới {created}, cập nhật {updated}, không đổi {unchanged}."

# --- status and reports (/tinhhinh, chibot report, chibot target) ---------------------------
QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
REPORT_CATEGORY_LABELS = {
    "doan_vien": "đoàn viên thanh niên",
    "tri_thuc": "trí thức",
    "quan_nhan_du_bi": "quân nhân dự bị",
    "dan_quan_tu_ve": "dân quân tự vệ",
    "hoc_sinh_sinh_vien": "học sinh, sinh viên",
    "nong_thon": "khu vực nông thôn",
    "cong_nhan_tu_nhan": "công nhân doanh nghiệp tư nhân",
    "khac": "khác",
}
STATUS_UNKNOWN_UNIT = (
    "Không tìm thấy đơn vị có mã \"{code}\". Đồng chí kiểm tra lại mã đơn vị, "
    "ví dụ: /tinhhinh {example}"
)
STATUS_STALE_UNIT = "Đơn vị này không còn trong cây tổ chức. Đồng chí gõ lại /tinhhinh để xem tình hình."
STATUS_HEADER = "Tình hình phát triển đảng viên — {unit} ({code}), ngày {date}"
STATUS_MEMBERS = "Đảng viên: {members}"
STATUS_ADMISSIONS = "Kết nạp năm {year}: {admissions}/{target} chỉ tiêu, bằng {rate} số đảng viên"
STATUS_TARGET_MET = "Đã đạt chỉ tiêu kết nạp năm {year}."
STATUS_PERIOD = "Bình quân mỗi năm {first}–{last}: {rate} (yêu cầu trên {required})"
STATUS_PERIOD_NOT_STARTED = "Giai đoạn {first}–{last} chưa bắt đầu."
STATUS_POOL = "Nguồn đang bồi dưỡng: {active} quần chúng ưu tú"
STATUS_POOL_CATEGORIES = "Theo nhóm: {items}"
STATUS_EVALUATIONS_DUE = "Chưa đánh giá quý {quarter}/{year}: {n} quần chúng (hạn {deadline})"
STATUS_EVALUATIONS_DONE = "Đánh giá quý {quarter}/{year}: đã đủ."
STATUS_CELLS_LATE = "⚠️ Chi bộ chậm đánh giá quý {quarter}/{year} (quá hạn {deadline}): {n}"
STATUS_PROBATION_DUE = "Đảng viên dự bị đến hạn xét công nhận chính thức (trong 30 ngày hoặc đã quá hạn): {n}"
STATUS_LATE_LINE = "• {name} ({code}): {n} quần chúng"
STATUS_MORE = "… và {n} đơn vị khác."
STATUS_CHILDREN_HEADER = "Đơn vị trực thuộc (kết nạp/chỉ tiêu):"
STATUS_CHILD_LINE = "• {name} ({code}): {admissions}/{target}, chưa đánh giá {due}"
STATUS_CHILDREN_MORE = "Còn {n} đơn vị khác; đồng chí gõ /tinhhinh MÃ_ĐƠN_VỊ, ví dụ: /tinhhinh {example}"
STATUS_CHILDREN_PICK = "Chọn đơn vị bên dưới để xem chi tiết."
STATUS_UP = "⬆ {name}"
# The secretary's view of the own cell.
CELL_POOL = "Nguồn đang bồi dưỡng: {active} quần chúng ưu tú, trong đó {awareness} cảm tình Đảng"
CELL_MEMBERS_PIPELINE = "Đảng viên dự bị: {probationary}; đã công nhận chính thức: {full}"
CELL_NEEDS_EVALUATION = "Cần đánh giá quý {quarter}/{year} (hạn {deadline}):"
CELL_NEEDS_EVALUATION_LATE = "⚠️ Đã quá hạn đánh giá quý {quarter}/{year} ({deadline}), còn:"
CELL_PERSON = "• {code} quần chúng {name}"
CELL_MORE = "… và {n} người khác."
CELL_EVALUATION_HINT = "Gõ /danhgia để đánh giá."
CELL_ALL_EVALUATED = "Đã đánh giá đủ quý {quarter}/{year}."
CELL_NO_ACTIVE = "Chi bộ chưa có nguồn đang bồi dưỡng. Gõ /nguon để thêm quần chúng ưu tú."
CELL_PROBATION_HEADER = "Đảng viên dự bị — hạn xét công nhận chính thức:"
CELL_PROBATION_LINE = "• {code} đồng chí {name}: kết nạp {admitted}, hạn {deadline} ({when})"
CELL_DAYS_LEFT = "còn {n} ngày"
CELL_DAYS_OVERDUE = "quá hạn {n} ngày"
CELL_DEADLINE_TODAY = "hạn là hôm nay"
CELL_PROBATION_LINE_NO_DEADLINE = "• {code} đồng chí {name}: kết nạp {admitted}, chưa có hạn xét công nhận"
CELL_PROBATION_HINT = "Gõ /chinhthuc để ghi nhận công nhận đảng viên chính thức."
# chibot report / chibot target (terminal).
REPORT_UNKNOWN_ORG = "không tìm thấy đơn vị có mã \"{code}\"; xem các mã bằng: chibot org tree"
REPORT_NO_TREE = "chưa có đơn vị nào; nhập cây tổ chức bằng: chibot org import FILE"
REPORT_BAD_YEAR = "năm \"{year}\" không hợp lệ; dùng năm từ 2000 đến 2100, ví dụ: --year 2026"
REPORT_TITLE = "Tình hình phát triển đảng viên năm {year} — {name} ({code}), ngày {date}"
REPORT_COLUMNS = (
    "Đơn vị", "Đảng viên", "Chỉ tiêu", "Kết nạp", "Tỷ lệ", "BQ giai đoạn",
    "Nguồn", "Chưa đánh giá", "CB chậm", "Dự bị đến hạn",
)
REPORT_CATEGORIES = "Nguồn đang bồi dưỡng theo nhóm: {items}"
REPORT_PERIOD_NOTE = (
    "BQ giai đoạn: bình quân tỷ lệ kết nạp mỗi năm {first}–{last} so với số đảng viên hiện tại; "
    "yêu cầu trên {required}."
)
REPORT_PERIOD_NOT_STARTED = "BQ giai đoạn: giai đoạn {first}–{last} chưa bắt đầu trong năm {year}."
REPORT_EVALUATION_NOTE = (
    "Chưa đánh giá: nguồn chưa được đánh giá quý {quarter}/{year} (hạn {deadline}); "
    "CB chậm: số chi bộ còn nguồn chưa đánh giá sau hạn."
)
TARGET_BAD_NUMBER = (
    "chỉ tiêu \"{value}\" không hợp lệ: phải là số nguyên từ 0 đến 1000000, "
    "ví dụ: chibot target set --org CB001 --year 2026 2"
)
TARGET_SET = "Đã đặt chỉ tiêu kết nạp năm {year} của {name} ({code}): {target} (trước đó: {before})."
TARGET_UNCHANGED = "Chỉ tiêu kết nạp năm {year} của {name} ({code}) đã là {target}; không thay đổi."
TARGET_NOT_SET_BEFORE = "chưa đặt, mặc định theo tỷ lệ là {default}"

# --- knowledge base (knowledge/) -----------------------------------------------------------
KB_DEFAULT_CONTACT = "Ban Tổ chức cấp ủy cấp trên hoặc văn phòng cấp ủy nơi đồng chí sinh hoạt"
KB_NOT_FOUND = (
    "Xin lỗi đồng chí, Chibot chưa có câu trả lời cho câu hỏi này trong cơ sở tri thức. "
    "Đồng chí vui lòng hỏi {contact}."
)
KB_NO_LETTERS = (
    "Đồng chí hãy gõ câu hỏi bằng chữ, có dấu hoặc không dấu, ví dụ: “Thời kỳ dự bị bao lâu?”. "
    "Nếu cần hỗ trợ, đồng chí hỏi {contact}."
)
KB_SUGGESTIONS = "Có phải đồng chí muốn hỏi:"
KB_SOURCE_LINE = "Nguồn: {source}"
KB_FAQ_EMPTY = "Câu hỏi trống. Ví dụ: chibot faq \"Thời kỳ dự bị bao lâu?\""
KB_CHECK_OK = "Cơ sở tri thức hợp lệ: {count} mục, {questions} cách hỏi ({path})."
KB_ERR_SUMMARY = "Cơ sở tri thức {path} có {count} lỗi:"
KB_ERR_NO_FILE = "Không tìm thấy tệp cơ sở tri thức {path}."
KB_ERR_READ = "Không đọc được tệp cơ sở tri thức {path}: {detail}"
KB_ERR_ENCODING = "Tệp {path} không phải văn bản UTF-8."
KB_ERR_YAML = "Dòng {line}, cột {column}: lỗi cú pháp YAML ({detail})."
KB_ERR_ROOT = "Tệp phải là YAML dạng ánh xạ có khóa “entries” chứa danh sách các mục."
KB_ERR_NO_ENTRIES = "Khóa “entries” phải là danh sách có ít nhất một mục."
KB_ERR_ENTRY_NOT_MAPPING = "Dòng {line}: mục thứ {index} phải là ánh xạ gồm id, questions, answer, source, tags, related."
KB_ERR_UNKNOWN_FIELD = (
    "Dòng {line}, mục “{id}”: trường “{field}” không hợp lệ; chỉ dùng id, questions, answer, source, tags, related."
)
KB_ERR_MISSING_ID = "Dòng {line}: mục thứ {index} thiếu id."
KB_ERR_BAD_ID = "Dòng {line}: id “{id}” không hợp lệ; chỉ dùng chữ thường không dấu, chữ số và các dấu _ - ."
KB_ERR_DUPLICATE_ID = "Dòng {line}: id “{id}” trùng với mục ở dòng {first}."
KB_ERR_MISSING_FIELD = "Dòng {line}, mục “{id}”: thiếu “{field}” hoặc để trống."
KB_ERR_BAD_TEXT = "Dòng {line}, mục “{id}”: “{field}” phải là một đoạn văn bản."
KB_ERR_BAD_LIST = "Dòng {line}, mục “{id}”: “{field}” phải là danh sách các chuỗi không rỗng."
KB_ERR_DUPLICATE_QUESTION = "Dòng {line}, mục “{id}”: câu hỏi “{question}” trùng với câu hỏi của mục “{other}”."
KB_ERR_UNKNOWN_RELATED = "Dòng {line}, mục “{id}”: mục liên quan “{related}” không tồn tại."
KB_ERR_SELF_RELATED = "Dòng {line}, mục “{id}”: mục không thể liên quan tới chính nó."
