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
# In a group nobody else should learn the sender's role or unit.
GREETING_GROUP = "Chào đồng chí! Gõ /trogiup để xem Chibot giúp được gì; việc riêng xin nhắn riêng cho Chibot."
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
    "Tài khoản đã nhập sai mã mời {n} lần trong một giờ nên tạm bị từ chối đến {time}. "
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

# --- help (/trogiup) and command menus --------------------------------------------------
# /trogiup lists, in order, the commands the user's role may use, one COMMAND_HELP line each,
# between the role's header and footer; Telegram's menus use COMMAND_MENU (at most 256
# characters each). A command without an entry here is still answered but listed nowhere.
COMMAND_HELP = {
    "start": "/start MÃ — đăng ký bằng mã mời do cấp ủy cấp",
    "nguon": "/nguon — thêm nguồn quần chúng ưu tú (hoặc: /nguon Họ tên; dd/mm/yyyy; nhóm[; ghi chú])",
    "dsnguon": "/dsnguon — danh sách nguồn của chi bộ, kèm mã N12 (/dsnguon tatca: cả người đã chính thức, đã đưa ra)",
    "suanguon": (
        "/suanguon — sửa hồ sơ (hoặc: /suanguon N12; mục; giá trị mới — mục: tên, ngày sinh, nhóm, ghi chú, "
        "ngày học lớp, số giấy chứng nhận, ngày kết nạp, số quyết định, ngày công nhận)"
    ),
    "xoanguon": "/xoanguon — đưa ra khỏi nguồn (hoặc: /xoanguon N12; lý do)",
    "lopnhanthuc": (
        "/lopnhanthuc — ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng "
        "(hoặc: /lopnhanthuc N12; dd/mm/yyyy; số giấy chứng nhận)"
    ),
    "danhgia": (
        "/danhgia — đánh giá quần chúng hằng quý, lần lượt từng người "
        "(hoặc: /danhgia N12; tốt|khá|trung bình|chưa đạt; nhận xét)"
    ),
    "ketnap": "/ketnap — ghi nhận kết nạp đảng viên (hoặc: /ketnap N12; dd/mm/yyyy; số quyết định)",
    "chinhthuc": "/chinhthuc — công nhận đảng viên chính thức (hoặc: /chinhthuc N12; dd/mm/yyyy)",
    "tinhhinh": "/tinhhinh [MÃ_ĐƠN_VỊ] — tình hình đơn vị mình, xem chi tiết từng cấp",
    "moi": "/moi MÃ_ĐƠN_VỊ; bí thư — tạo mã mời cho bí thư chi bộ hoặc cán bộ trong đơn vị",
    "hoantac": "/hoantac — hoàn tác thay đổi gần nhất (trong 10 phút)",
    # No COMMAND_MENU entry: /lienket is typed by guests too (with a code from the other app),
    # and a menu text would put it in every guest's Telegram menu.
    "lienket": "/lienket — dùng Chibot trên cả Telegram và Zalo: lấy mã liên kết, chọn nơi nhận nhắc việc (hoặc: /lienket MÃ)",
    "trogiup": "/trogiup — xem hướng dẫn",
    "huy": "/huy — hủy thao tác đang làm",
}
COMMAND_MENU = {
    "start": "Đăng ký bằng mã mời hoặc chào Chibot",
    "nguon": "Thêm nguồn quần chúng ưu tú",
    "dsnguon": "Danh sách nguồn của chi bộ",
    "suanguon": "Sửa thông tin một nguồn",
    "xoanguon": "Đưa một quần chúng ra khỏi nguồn",
    "lopnhanthuc": "Ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng",
    "danhgia": "Đánh giá quần chúng ưu tú hằng quý",
    "ketnap": "Ghi nhận kết nạp đảng viên",
    "chinhthuc": "Công nhận đảng viên chính thức",
    "tinhhinh": "Tình hình phát triển đảng viên của đơn vị",
    "moi": "Tạo mã mời đăng ký",
    "hoantac": "Hoàn tác thay đổi gần nhất (trong 10 phút)",
    "trogiup": "Hướng dẫn sử dụng",
    "huy": "Hủy thao tác đang làm",
}
_ASK_ANYTHING = "Gõ câu hỏi bất kỳ về Chỉ thị 13-CT/TU hoặc quy định kết nạp để được giải đáp."
HELP_HEADER = {
    None: "Chibot — trợ lý công tác phát triển đảng viên.",
    "secretary": "Các việc bí thư chi bộ làm với Chibot:",
    "staff": "Các việc cán bộ cấp ủy làm với Chibot:",
    "admin": "Các việc cán bộ cấp ủy làm với Chibot:",
}
HELP_FOOTER = {
    None: "Sau khi đăng ký, đồng chí có thể hỏi về Chỉ thị 13-CT/TU và quy định kết nạp đảng viên.",
    "secretary": "Thay cho mã N12 có thể gõ họ tên; gõ lệnh không kèm gì để được hỏi từng bước.\n" + _ASK_ANYTHING,
    "staff": _ASK_ANYTHING,
    "admin": _ASK_ANYTHING,
}
HELP_GROUP = (
    "Trong nhóm, Chibot chỉ trả lời câu hỏi về Chỉ thị 13-CT/TU và quy định kết nạp đảng viên. "
    "Các việc có dữ liệu cá nhân, đồng chí làm trong trò chuyện riêng với Chibot."
)

# --- questions -----------------------------------------------------------------------------
FAQ_UNAVAILABLE = "Chức năng hỏi đáp chưa sẵn sàng. Đồng chí vui lòng hỏi {contact}."
FAQ_REGISTER_FIRST = (
    "Chức năng hỏi đáp dành cho người đã đăng ký. Đồng chí gửi mã mời do cấp ủy cấp, "
    "ví dụ: /start ABCD2345"
)

# Reason recorded on a duplicate person taken out of the pool when the database is upgraded.
MIGRATION_DUPLICATE_REMOVED = "Trùng với người đã có trong nguồn (gộp tự động khi nâng cấp Chibot)"

# --- command line (chibot …) --------------------------------------------------------------
CLI_UNEXPECTED = "lỗi không mong muốn: {kind}: {detail}"
CLI_DB_UPGRADED = "Cơ sở dữ liệu đã được cập nhật lên phiên bản mới nhất."
CLI_BACKUP_DONE = "Đã sao lưu cơ sở dữ liệu vào {path}."
CLI_BACKUP_NOT_SQLITE = "db backup chỉ dùng cho SQLite; với PostgreSQL hãy dùng pg_dump."
CLI_BACKUP_NO_DB = "không tìm thấy cơ sở dữ liệu {path}."
CLI_BACKUP_EXISTS = "{path} đã tồn tại; đồng chí chọn tên tệp khác."
CLI_UNKNOWN_ORG = "không tìm thấy đơn vị có mã {code!r}."
CLI_EMPTY_TREE = "(chưa có đơn vị nào; nhập bằng: chibot org import TỆP)"
CLI_INVITE_USES = "--uses phải là số từ 1 đến 1000."
CLI_INVITE_DAYS = "--days phải là số từ 1 đến 365."
CLI_INVITE_CELL_ONLY = "bí thư chỉ được mời cho chi bộ (cell); {code} là {kind}."
CLI_INVITE_CREATED = (
    "Mã mời {role} cho {unit} ({code}), dùng {uses} lần, hiệu lực {days} ngày. "
    "Gửi cho Chibot: /start {invite}"
)
CONSOLE_START = (
    "Chưa cấu hình token Telegram/Zalo: mở kênh console với người dùng mẫu '{user}' "
    "(gõ /trogiup để xem hướng dẫn, Ctrl+D để thoát)."
)
CONSOLE_FILE = "[tệp: {path}]"
KIND_NAMES = {"province": "tỉnh", "district": "huyện", "grassroots": "cơ sở", "cell": "chi bộ"}
ORG_TREE_LINE = "{indent}{code}  {name} [{kind}] — {members} đảng viên"
DEMO_TREE = "Cây tổ chức mẫu: {n} đơn vị, gốc DEMO."
DEMO_USER = "Người dùng console '{login}': {name}, {role} của {unit} ({code})."

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
QUARTER_LABEL = "quý {roman}/{year}"
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
STATUS_EVALUATIONS_DUE = "Chưa đánh giá {quarter}: {n} quần chúng (hạn {deadline})"
STATUS_EVALUATIONS_DONE = "Đánh giá {quarter}: đã đủ."
STATUS_CELLS_LATE = "⚠️ Chi bộ chậm đánh giá {quarter} (quá hạn {deadline}): {n}"
STATUS_PROBATION_DUE = "Đảng viên dự bị đến hạn xét công nhận chính thức (trong 30 ngày hoặc đã quá hạn): {n}"
STATUS_LATE_LINE = "• {name} ({code}): {n} quần chúng"
STATUS_MORE = "… và {n} đơn vị khác."
STATUS_CHILDREN_HEADER = "Đơn vị trực thuộc (kết nạp/chỉ tiêu):"
STATUS_CHILD_LINE = "• {name} ({code}): {admissions}/{target}, chưa đánh giá {due}"
STATUS_CHILDREN_MORE = "Còn {n} đơn vị khác; đồng chí gõ /tinhhinh MÃ_ĐƠN_VỊ, ví dụ: /tinhhinh {example}"
STATUS_CHILDREN_PICK = "Chọn đơn vị bên dưới để xem chi tiết."
STATUS_UP = "⬆ Lên {name}"
# The secretary's view of the own cell.
CELL_POOL = "Nguồn đang bồi dưỡng: {active} quần chúng ưu tú, trong đó {awareness} cảm tình Đảng"
CELL_MEMBERS_PIPELINE = "Đảng viên dự bị: {probationary}; đã công nhận chính thức: {full}"
CELL_NEEDS_EVALUATION = "Cần đánh giá {quarter} (hạn {deadline}):"
CELL_NEEDS_EVALUATION_LATE = "⚠️ Đã quá hạn đánh giá {quarter} ({deadline}), còn:"
CELL_PERSON = "• {code} quần chúng {name}"
CELL_MORE = "… và {n} người khác."
CELL_EVALUATION_HINT = "Gõ /danhgia để đánh giá."
CELL_ALL_EVALUATED = "Đã đánh giá đủ {quarter}."
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
    "Chưa đánh giá: nguồn chưa được đánh giá {quarter} (hạn {deadline}); "
    "CB chậm: số chi bộ còn nguồn chưa đánh giá sau hạn."
)
TARGET_BAD_NUMBER = (
    "chỉ tiêu \"{value}\" không hợp lệ: phải là số nguyên từ 0 đến 1000000, "
    "ví dụ: chibot target set --org CB001 --year 2026 2"
)
TARGET_SET = "Đã đặt chỉ tiêu kết nạp năm {year} của {name} ({code}): {target} (trước đó: {before})."
TARGET_UNCHANGED = "Chỉ tiêu kết nạp năm {year} của {name} ({code}) đã là {target}; không thay đổi."
TARGET_NOT_SET_BEFORE = "chưa đặt, mặc định theo tỷ lệ là {default}"

# --- telegram ------------------------------------------------------------------------------
TELEGRAM_CHOOSE = "Đồng chí chọn một mục bên dưới:"

# --- sources, pipeline, evaluations, undo (/nguon … /hoantac) ------------------------------
CATEGORY_NAMES = {
    "doan_vien": "đoàn viên thanh niên",
    "tri_thuc": "trí thức",
    "quan_nhan_du_bi": "quân nhân dự bị",
    "dan_quan_tu_ve": "dân quân tự vệ",
    "hoc_sinh_sinh_vien": "học sinh, sinh viên",
    "nong_thon": "khu vực nông thôn",
    "cong_nhan_tu_nhan": "công nhân lao động trong đơn vị kinh tế tư nhân",
    "khac": "nhóm khác",
}
STAGE_NAMES = {
    "source": "quần chúng ưu tú (nguồn)",
    "awareness": "cảm tình Đảng (đã học lớp nhận thức về Đảng)",
    "probationary": "đảng viên dự bị",
    "full": "đảng viên chính thức",
    "removed": "đã đưa ra khỏi nguồn",
}
LEVEL_NAMES = {"tot": "tốt", "kha": "khá", "trung_binh": "trung bình", "chua_dat": "chưa đạt"}
FIELD_NAMES = {
    "name": "họ tên",
    "birth": "ngày sinh",
    "categories": "nhóm",
    "note": "ghi chú",
    "awareness": "ngày học lớp nhận thức",
    "certificate": "số giấy chứng nhận",
    "admission": "ngày kết nạp",
    "decision": "số quyết định",
    "recognition": "ngày công nhận chính thức",
}
# How a person is named: "quần chúng" before admission, the member title after.
WHO = {
    "source": "quần chúng {name} ({code})",
    "awareness": "quần chúng {name} ({code})",
    "removed": "quần chúng {name} ({code})",
    "probationary": "đảng viên dự bị {name} ({code})",
    "full": "đảng viên {name} ({code})",
}
EXAMPLE_NAME = "Nguyễn Văn An"
EXAMPLE_NGUON = "/nguon Nguyễn Văn An; 05/03/1998; đoàn viên; Bí thư chi đoàn thôn"
EXAMPLE_DECISION = "125-QĐ/HU"
EXAMPLE_NOTE = "Bí thư chi đoàn thôn"
EXAMPLE_REASON = "chuyển đi nơi khác"
EXAMPLE_COMMENT = "tích cực, gương mẫu"
LABEL_DONE = "Chọn xong"
LABEL_SKIP = "Bỏ qua"
LABEL_CONFIRM = "Có, xác nhận"
LABEL_AGREE = "Đồng ý"
LABEL_CANCEL = "Không, hủy"
LABEL_CLEAR_NOTE = "Xóa ghi chú"
LABEL_SKIP_PERSON = "Bỏ qua người này"
LABEL_STOP = "Dừng lại"
FLOW_CANCELLED = "Đã hủy, không có gì được lưu."
CONFIRM_HINT = "Đồng chí chọn “Có, xác nhận” (hoặc “Đồng ý”) để tiếp tục, hoặc “Không, hủy”."
CHOICE_NOT_HERE = "Lựa chọn này không dùng được ở bước này. {hint}"

# Field checks (domain.pipeline, domain.categories).
NAME_EMPTY = "Chưa có họ tên. Đồng chí gõ họ và tên đầy đủ, ví dụ: Nguyễn Văn An"
NAME_NO_LETTERS = "“{value}” không phải là họ tên: họ tên phải có chữ cái. Ví dụ: Nguyễn Văn An"
NAME_DIGITS = "Họ tên không được có chữ số (“{value}”). Ví dụ: Nguyễn Văn An"
NAME_SYMBOLS = (
    "Họ tên chỉ gồm chữ cái, dấu cách và dấu gạch nối; “{value}” có ký tự “{char}”. "
    "Ví dụ: Nguyễn Văn An"
)
NAME_LENGTH = "Họ tên phải dài từ {min} đến {max} ký tự (đồng chí gõ {n} ký tự). Ví dụ: Nguyễn Văn An"
DATE_EMPTY = "Chưa có {what}. Đồng chí gõ theo dạng ngày/tháng/năm, ví dụ: {example}"
DATE_FORMAT = "{What} “{value}” chưa đúng dạng ngày/tháng/năm (dd/mm/yyyy). Ví dụ: {example}"
DATE_INVALID = (
    "{What} {value} không có thật trên lịch (ví dụ tháng 2 không có ngày 30, 31). "
    "Đồng chí kiểm tra lại, ví dụ: {example}"
)
DATE_FUTURE = "{What} {value} là ngày trong tương lai (hôm nay là {today}). Đồng chí gõ ngày đã diễn ra, ví dụ: {example}"
DATE_TOO_OLD = "{What} {value} không hợp lý (trước năm 1900). Đồng chí kiểm tra lại năm, ví dụ: {example}"
BIRTH_TOO_YOUNG = (
    "Ngày sinh {birth}: quần chúng mới {age} tuổi. Chibot chỉ ghi nhận vào nguồn người từ đủ {min} tuổi "
    "(tuổi đoàn viên); kết nạp khi đủ 18 tuổi. Nếu gõ nhầm năm sinh, đồng chí gõ lại, ví dụ: 05/03/1998"
)
BIRTH_TOO_OLD = "Ngày sinh {birth} cho {age} tuổi, không hợp lý. Đồng chí kiểm tra lại năm sinh, ví dụ: 05/03/1958"
TEXT_EMPTY = "Chưa có {what}. Ví dụ: {example}"
TEXT_TOO_LONG = "{What} dài {n} ký tự, tối đa {limit} ký tự. Đồng chí rút gọn rồi gửi lại, ví dụ: {example}"
TEXT_NO_LETTERS = "{What} phải có chữ, “{value}” chỉ có biểu tượng hoặc ký hiệu. Ví dụ: {example}"
NUMBER_TOO_LONG = "{What} dài {n} ký tự, tối đa {limit} ký tự. Ví dụ: {example}"
NUMBER_BAD = "{What} “{value}” không hợp lệ: phải có chữ hoặc số. Ví dụ: {example}"
CATEGORY_EMPTY = "Chưa có nhóm ưu tiên. Các nhóm: {groups}. Đồng chí gõ tên nhóm hoặc số, ví dụ: đoàn viên, hoặc 1, 5"
CATEGORY_UNKNOWN = (
    "Không nhận ra nhóm {parts}. Các nhóm: {groups}. "
    "Đồng chí gõ tên nhóm hoặc số, nhiều nhóm cách nhau bằng dấu phẩy, ví dụ: đoàn viên, sinh viên (hoặc 1, 5)"
)
CATEGORY_NONE_CHOSEN = "Đồng chí chưa chọn nhóm nào. Chọn ít nhất một nhóm rồi chọn “Chọn xong”."
LEVEL_EMPTY = "Chưa có mức đánh giá. Các mức: 1 tốt, 2 khá, 3 trung bình, 4 chưa đạt. Ví dụ: /danhgia N12; khá; tích cực"
LEVEL_UNKNOWN = (
    "Không nhận ra mức đánh giá “{value}”. Các mức: 1 tốt, 2 khá, 3 trung bình, 4 chưa đạt. "
    "Ví dụ: /danhgia N12; khá; tích cực"
)
EDIT_FIELDS_LIST = (
    "tên, ngày sinh, nhóm, ghi chú; đã học lớp nhận thức: ngày học lớp, số giấy chứng nhận; "
    "đã kết nạp: ngày kết nạp, số quyết định; đảng viên chính thức: ngày công nhận"
)
FIELD_UNKNOWN = (
    "Không có mục “{value}” để sửa. Các mục: " + EDIT_FIELDS_LIST + ". "
    "Ví dụ: /suanguon N12; ngày sinh; 05/03/1998"
)
AWARENESS_TOO_YOUNG = (
    "Ngày học lớp nhận thức {date} không hợp lý: khi đó quần chúng (sinh {birth}) chưa đủ {min} tuổi. "
    "Đồng chí kiểm tra lại ngày học hoặc ngày sinh."
)
ADMIT_UNDER_18 = (
    "Không ghi nhận được: quần chúng {name} ({code}) sinh ngày {birth}, đến ngày kết nạp {date} mới {age} tuổi. "
    "Điều lệ Đảng quy định người vào Đảng phải từ đủ 18 tuổi; quần chúng đủ 18 tuổi vào ngày {adult}. "
    "Nếu ngày sinh bị nhập sai, đồng chí sửa: /suanguon {code}; ngày sinh; dd/mm/yyyy"
)
ADMIT_BEFORE_AWARENESS = (
    "Ngày kết nạp {date} trước ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng ({awareness}). "
    "Ngày kết nạp phải từ {awareness} trở đi, ví dụ: /ketnap {code}; {awareness}"
)
RECOGNISE_TOO_EARLY = (
    "Chưa công nhận được: đảng viên dự bị {name} ({code}) được kết nạp ngày {admission}, thời gian dự bị "
    "12 tháng đến {earliest}. Ngày công nhận ({date}) phải từ {earliest} trở đi; hạn chi bộ xét công nhận: {deadline}."
)

# Finding the person (code or name).
PERSON_EMPTY = "Chưa có mã hoặc họ tên quần chúng. Ví dụ: {example}"
PERSON_NOT_IN_CELL = (
    "Không có người mã {code} trong chi bộ của đồng chí. Đồng chí xem mã bằng /dsnguon, ví dụ: {example}"
)
PERSON_BAD = "“{value}” không phải mã (như N12) hay họ tên. Ví dụ: {example}"
PERSON_NO_NAME = (
    "Không tìm thấy người tên “{name}” trong chi bộ của đồng chí. Đồng chí gõ mã (ví dụ N12) hoặc họ tên đầy đủ; "
    "xem danh sách bằng /dsnguon."
)
PERSON_MANY = "Có {n} người tên “{name}” trong chi bộ. Đồng chí chọn đúng người:"
PERSON_MORE = "(Hiện {shown} trên {n} người; người khác đồng chí gõ mã, ví dụ N12.)"
PERSON_PICK_HINT = "Đồng chí chọn một người trong danh sách, hoặc gõ mã (ví dụ N12) hay họ tên."

# /nguon
NGUON_ASK_NAME = "Thêm nguồn quần chúng ưu tú (bước 1/4). Đồng chí gõ họ và tên đầy đủ, ví dụ: Nguyễn Văn An"
NGUON_ASK_BIRTH = "Bước 2/4 — ngày sinh của quần chúng {name} (dd/mm/yyyy), ví dụ: 05/03/1998"
NGUON_ASK_CATEGORIES = (
    "Bước 3/4 — nhóm ưu tiên của quần chúng {name}: chọn một hoặc nhiều nhóm rồi chọn “Chọn xong”, "
    "hoặc gõ tên nhóm hay các số, ví dụ: 1, 5"
)
CATEGORIES_CHOSEN = "Đã chọn: {groups}."
NGUON_ASK_NOTE = "Bước 4/4 — ghi chú ngắn (nơi công tác, vai trò…, tối đa 500 ký tự), hoặc chọn “Bỏ qua”. Ví dụ: Bí thư chi đoàn thôn"
NGUON_DONE = "✅ Đồng chí đã ghi nhận nguồn: quần chúng {name} ({code}), sinh {birth}, nhóm: {groups}."
NGUON_NOTE = "Ghi chú: {note}"
NGUON_OVER_60 = (
    "Lưu ý: quần chúng đã {age} tuổi; Điều lệ Đảng quy định tuổi vào Đảng từ đủ 18 đến đủ 60, "
    "trên 60 tuổi phải có quyết định của cấp ủy trực thuộc Trung ương."
)
NGUON_NO_DIACRITICS = "Lưu ý: họ tên chưa có dấu; nếu cần, đồng chí sửa: /suanguon {code}; tên; {example}"
NGUON_NEXT = "Khi quần chúng học xong lớp bồi dưỡng nhận thức về Đảng: /lopnhanthuc {code}; dd/mm/yyyy; số giấy chứng nhận"
NGUON_DUPLICATE = (
    "Quần chúng {name}, sinh {birth} đã có trong nguồn của chi bộ (mã {code}); không ghi nhận thêm lần nữa. "
    "Đồng chí xem bằng /dsnguon, sửa bằng /suanguon {code}; tên; họ tên mới"
)

# /dsnguon
LIST_HEADER = "Nguồn phát triển đảng viên — {unit}: {n} người"
LIST_HEADER_ALL = "Tất cả hồ sơ — {unit}: {n} người"
LIST_EMPTY = "Chi bộ chưa có nguồn quần chúng ưu tú nào đang theo dõi. Thêm bằng /nguon, ví dụ: " + EXAMPLE_NGUON
LIST_LINE_ACTIVE = "{code} · {name} — {stage}\n    nhóm: {groups}; {evaluation}"
LIST_EVALUATED = "đánh giá {quarter}: {level}"
LIST_NOT_EVALUATED = "chưa đánh giá {quarter}"
LIST_LAST_EVALUATED = "chưa đánh giá {quarter} (lần trước {last}: {level})"
LIST_LINE_PROBATIONARY = "{code} · {name} — đảng viên dự bị từ {admission}; hạn xét công nhận chính thức: {deadline}{late}"
LIST_LATE = " ⚠️ đã quá hạn"
LIST_LINE_FULL = "{code} · {name} — đảng viên chính thức từ {date}"
LIST_LINE_REMOVED = "{code} · {name} — đã đưa ra khỏi nguồn ngày {date}: {reason}"
LIST_HIDDEN = "Không hiện {n} người đã công nhận chính thức hoặc đã đưa ra khỏi nguồn; xem tất cả: /dsnguon tatca"
LIST_USAGE = "Cách dùng: /dsnguon (người đang theo dõi) hoặc /dsnguon tatca (cả người đã chính thức, đã đưa ra khỏi nguồn)."
LIST_HINT = "Dùng mã (như {code}) trong các lệnh /danhgia, /lopnhanthuc, /ketnap, /suanguon."

# /suanguon
EDIT_ASK_PERSON = "Sửa hồ sơ: đồng chí chọn người cần sửa, hoặc gõ mã (ví dụ N12) hay họ tên:"
EDIT_NONE = "Chi bộ chưa có hồ sơ nào để sửa. Thêm nguồn bằng /nguon."
EDIT_ASK_FIELD = "Sửa hồ sơ {who}. Đồng chí chọn mục cần sửa:"
EDIT_ASK_NAME = "Họ tên mới (hiện tại: {current}), ví dụ: Nguyễn Văn An"
EDIT_ASK_BIRTH = "Ngày sinh mới (hiện tại: {current}), dd/mm/yyyy, ví dụ: 05/03/1998"
EDIT_ASK_NOTE = "Ghi chú mới (hiện tại: {current}), tối đa 500 ký tự; hoặc chọn “Xóa ghi chú”."
EDIT_ASK_CATEGORIES = "Nhóm ưu tiên mới của {who}: chọn các nhóm rồi chọn “Chọn xong”, hoặc gõ tên nhóm hay các số, ví dụ: 1, 5"
EDIT_DONE = "✅ Đồng chí đã sửa {field} của {who}: “{old}” → “{new}”."
EDIT_SAME = "{Field} của {who} đã là “{value}”; không có gì thay đổi."
EDIT_REMOVED = (
    "{Who} đã được đưa ra khỏi nguồn nên không sửa hồ sơ được. "
    "Cần theo dõi lại, đồng chí ghi nhận mới bằng /nguon."
)
EDIT_USAGE = (
    "Cách sửa một mục: /suanguon N12; mục; giá trị mới. Các mục: " + EDIT_FIELDS_LIST + ". "
    "Ví dụ: /suanguon N12; ngày kết nạp; 20/11/2026"
)
EDIT_BIRTH_CONFLICT = (
    "Không sửa được: với ngày sinh {birth}, {who} chưa đủ 18 tuổi vào ngày kết nạp {admission}. "
    "Đồng chí kiểm tra lại ngày sinh, ví dụ: 05/03/1998"
)
EDIT_BIRTH_AWARENESS = (
    "Không sửa được: với ngày sinh {birth}, {who} chưa đủ 16 tuổi vào ngày học lớp nhận thức {awareness}. "
    "Đồng chí kiểm tra lại ngày sinh, ví dụ: 05/03/1998"
)
EMPTY_NOTE = "(trống)"
EMPTY_VALUE = "(chưa có)"
EDIT_ASK_AWARENESS = (
    "Ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng mới (hiện tại: {current}), dd/mm/yyyy, ví dụ: {example}"
)
EDIT_ASK_CERTIFICATE = "Số giấy chứng nhận mới (hiện tại: {current}), ví dụ: 125/GCN-TTCT"
EDIT_ASK_ADMISSION = (
    "Ngày kết nạp mới (hiện tại: {current}), dd/mm/yyyy, ví dụ: {example}. "
    "Hạn xét công nhận đảng viên chính thức sẽ được tính lại theo ngày mới."
)
EDIT_ASK_DECISION = "Số quyết định kết nạp mới (hiện tại: {current}), ví dụ: 125-QĐ/HU"
EDIT_ASK_RECOGNITION = (
    "Ngày công nhận đảng viên chính thức mới (hiện tại: {current}), dd/mm/yyyy. "
    "Kết nạp ngày {admission}; ngày công nhận sớm nhất {earliest}. Ví dụ: {example}"
)
EDIT_NEEDS_AWARENESS = (
    "{Who} chưa được ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng nên chưa có "
    "{field} để sửa. Đồng chí ghi nhận lớp học bằng /lopnhanthuc, ví dụ: /lopnhanthuc {code}; 15/10/2026; 125/GCN-TTCT"
)
EDIT_NEEDS_ADMISSION = (
    "{Who} chưa được ghi nhận kết nạp nên chưa có {field} để sửa. "
    "Khi kết nạp, đồng chí ghi nhận bằng /ketnap, ví dụ: /ketnap {code}; 20/11/2026; 125-QĐ/HU"
)
EDIT_NEEDS_RECOGNITION = (
    "{Who} chưa được công nhận đảng viên chính thức nên chưa có {field} để sửa. "
    "Khi chi bộ công nhận, đồng chí ghi nhận bằng /chinhthuc, ví dụ: /chinhthuc {code}; 20/11/2026"
)
EDIT_AWARENESS_AFTER_ADMISSION = (
    "Không sửa được: {who} được kết nạp ngày {admission}; ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng "
    "({date}) không thể sau ngày kết nạp. Ví dụ: /suanguon {code}; ngày học lớp; {admission}"
)
EDIT_ADMISSION_BEFORE_AWARENESS = (
    "Không sửa được: ngày kết nạp {date} trước ngày {who} hoàn thành lớp bồi dưỡng nhận thức về Đảng "
    "({awareness}). Ngày kết nạp phải từ {awareness} trở đi, ví dụ: /suanguon {code}; ngày kết nạp; {awareness}. "
    "Nếu ngày học lớp bị nhập sai, đồng chí sửa trước: /suanguon {code}; ngày học lớp; dd/mm/yyyy"
)
EDIT_ADMISSION_AFTER_RECOGNITION = (
    "Không sửa được: {who} được công nhận chính thức ngày {recognition}; với ngày kết nạp {date}, "
    "12 tháng dự bị kéo dài đến {earliest}, sau ngày công nhận. Ngày kết nạp phải trước ngày công nhận "
    "ít nhất 12 tháng, ví dụ: /suanguon {code}; ngày kết nạp; {latest}"
)
EDIT_RECOGNITION_TOO_EARLY = (
    "Không sửa được: {who} được kết nạp ngày {admission}, thời gian dự bị 12 tháng đến {earliest}. "
    "Ngày công nhận ({date}) phải từ {earliest} trở đi, ví dụ: /suanguon {code}; ngày công nhận; {earliest}"
)
EDIT_ADMISSION_OVER_60 = (
    "{Who} sinh ngày {birth}, đến ngày kết nạp {date} đã {age} tuổi. Điều lệ Đảng quy định người vào Đảng "
    "từ đủ 18 đến đủ 60 tuổi; trên 60 tuổi chỉ kết nạp khi có quyết định của cấp ủy trực thuộc Trung ương. "
    "Đồng chí xác nhận đã có quyết định đó? (Gõ một dòng: /suanguon {code}; ngày kết nạp; {date}; xác nhận)"
)
EDIT_DEADLINE = (
    "Thời gian dự bị 12 tháng đến {earliest}; hạn chi bộ xét công nhận đảng viên chính thức: {deadline} "
    "(trước đây: {old})."
)
EDIT_DEADLINE_PASSED = (
    "Lưu ý: hạn xét công nhận đã qua. Đồng chí ghi nhận công nhận bằng /chinhthuc {code}; dd/mm/yyyy "
    "hoặc xóa tên khỏi danh sách đảng viên dự bị bằng /xoanguon {code}; lý do"
)

# /xoanguon
REMOVE_ASK_PERSON = "Đưa ra khỏi nguồn: đồng chí chọn người, hoặc gõ mã (ví dụ N12) hay họ tên:"
REMOVE_NONE = "Chi bộ không có ai trong nguồn hoặc đang dự bị để đưa ra."
REMOVE_ASK_REASON = "Lý do đưa {who} ra khỏi nguồn (tối đa 500 ký tự), ví dụ: chuyển đi nơi khác"
REMOVE_ASK_REASON_PROBATIONARY = (
    "Lý do xóa tên {who} khỏi danh sách đảng viên dự bị (tối đa 500 ký tự), "
    "ví dụ: không được chi bộ đề nghị công nhận chính thức"
)
REMOVE_CONFIRM = "Đưa {who} ra khỏi nguồn với lý do: “{reason}”?"
REMOVE_CONFIRM_PROBATIONARY = "Xóa tên {who} khỏi danh sách đảng viên dự bị với lý do: “{reason}”?"
REMOVE_DONE = "✅ Đồng chí đã đưa {who} ra khỏi nguồn. Lý do: {reason}. Nếu nhầm, gõ /hoantac trong 10 phút."
REMOVE_DONE_PROBATIONARY = (
    "✅ Đồng chí đã xóa tên {who} khỏi danh sách đảng viên dự bị. Lý do: {reason}. "
    "Nếu nhầm, gõ /hoantac trong 10 phút."
)
REMOVE_WRONG_STAGE = "{Who} hiện là {stage} nên không đưa ra khỏi nguồn được."
REASON_WHAT = "lý do"

# /lopnhanthuc
AWARENESS_ASK_PERSON = "Ghi nhận lớp bồi dưỡng nhận thức về Đảng: đồng chí chọn quần chúng, hoặc gõ mã (ví dụ N12) hay họ tên:"
AWARENESS_NONE = "Chi bộ chưa có quần chúng nào trong nguồn. Thêm bằng /nguon, ví dụ: " + EXAMPLE_NGUON
AWARENESS_ASK_DATE = (
    "Ngày {who} hoàn thành lớp bồi dưỡng nhận thức về Đảng (ngày cấp giấy chứng nhận), dd/mm/yyyy, ví dụ: {example}"
)
AWARENESS_ASK_CERT = "Số giấy chứng nhận, ví dụ: 125/GCN-TTCT; hoặc chọn “Bỏ qua” nếu chưa có."
AWARENESS_DONE = (
    "✅ Đồng chí đã ghi nhận: {who} hoàn thành lớp bồi dưỡng nhận thức về Đảng ngày {date}{cert}; "
    "giai đoạn: cảm tình Đảng."
)
AWARENESS_UPDATED = "✅ Đồng chí đã cập nhật lớp bồi dưỡng nhận thức về Đảng của {who}: ngày {date}{cert}."
AWARENESS_CERT = ", giấy chứng nhận số {cert}"
AWARENESS_WRONG_STAGE = "{Who} hiện là {stage}; không ghi nhận lớp bồi dưỡng nhận thức về Đảng được nữa."
AWARENESS_DATE_WHAT = "ngày học xong lớp nhận thức"
AWARENESS_USAGE = "Cách ghi một dòng: /lopnhanthuc N12; dd/mm/yyyy; số giấy chứng nhận. Ví dụ: /lopnhanthuc N12; 15/10/2026; 125/GCN-TTCT"
CERT_WHAT = "số giấy chứng nhận"

# /ketnap
ADMIT_ASK_PERSON = (
    "Ghi nhận kết nạp đảng viên: đồng chí chọn quần chúng (đã học lớp bồi dưỡng nhận thức về Đảng), "
    "hoặc gõ mã (ví dụ N12) hay họ tên:"
)
ADMIT_NONE = (
    "Chi bộ chưa có quần chúng nào đã hoàn thành lớp bồi dưỡng nhận thức về Đảng. "
    "Ghi nhận lớp học trước: /lopnhanthuc N12; dd/mm/yyyy; số giấy chứng nhận"
)
ADMIT_ASK_DATE = "Ngày kết nạp {who} (ngày tổ chức lễ kết nạp), dd/mm/yyyy, ví dụ: {example}"
ADMIT_ASK_DECISION = "Số quyết định kết nạp, ví dụ: 125-QĐ/HU; hoặc chọn “Bỏ qua” nếu chưa có."
ADMIT_NEEDS_AWARENESS = (
    "Chưa kết nạp được: quần chúng {name} ({code}) chưa được ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng. "
    "Theo Điều lệ Đảng, người vào Đảng phải có giấy chứng nhận học lớp này. "
    "Đồng chí ghi nhận trước: /lopnhanthuc {code}; dd/mm/yyyy; số giấy chứng nhận"
)
ADMIT_WRONG_STAGE = "{Who} hiện là {stage} nên không ghi nhận kết nạp được."
ADMIT_OVER_60 = (
    "Quần chúng {name} ({code}) sinh ngày {birth}, đến ngày kết nạp {date} đã {age} tuổi. Điều lệ Đảng quy định "
    "người vào Đảng từ đủ 18 đến đủ 60 tuổi; trên 60 tuổi chỉ kết nạp khi có quyết định của cấp ủy trực thuộc "
    "Trung ương. Đồng chí xác nhận đã có quyết định đó? (Gõ một dòng: /ketnap {code}; {date}; số quyết định; xác nhận)"
)
ADMIT_DONE = (
    "✅ Đồng chí đã ghi nhận kết nạp đảng viên: đồng chí {name} ({code}), ngày kết nạp {date}{decision}. "
    "Thời gian dự bị 12 tháng, đến {earliest}; hạn chi bộ xét công nhận đảng viên chính thức: {deadline}."
)
ADMIT_DECISION = ", quyết định số {decision}"
ADMIT_DATE_WHAT = "ngày kết nạp"
DECISION_WHAT = "số quyết định"
ADMIT_USAGE = "Cách ghi một dòng: /ketnap MÃ_HOẶC_TÊN; dd/mm/yyyy[; số quyết định]. Ví dụ: /ketnap N12; 20/11/2026; 125-QĐ/HU"

# /chinhthuc
RECOGNISE_ASK_PERSON = "Công nhận đảng viên chính thức: đồng chí chọn đảng viên dự bị, hoặc gõ mã (ví dụ N12) hay họ tên:"
RECOGNISE_NONE = "Chi bộ chưa có đảng viên dự bị nào. Ghi nhận kết nạp bằng /ketnap."
RECOGNISE_ASK_DATE = (
    "Ngày công nhận {who} là đảng viên chính thức (dd/mm/yyyy). Kết nạp ngày {admission}; "
    "sớm nhất {earliest}, hạn xét {deadline}. Ví dụ: {example}"
)
RECOGNISE_DONE = "✅ Đồng chí đã ghi nhận công nhận đảng viên chính thức: đồng chí {name} ({code}), ngày {date}."
RECOGNISE_LATE = "Lưu ý: ngày công nhận sau hạn chi bộ phải xét ({deadline})."
RECOGNISE_WRONG_STAGE = "{Who} hiện là {stage}; chỉ công nhận chính thức cho đảng viên dự bị."
RECOGNISE_DATE_WHAT = "ngày công nhận"
RECOGNISE_USAGE = "Cách ghi một dòng: /chinhthuc MÃ_HOẶC_TÊN; dd/mm/yyyy. Ví dụ: /chinhthuc N12; 20/11/2026"

# /danhgia
EVAL_ASK_PERSON = "Đánh giá hằng quý: đồng chí chọn quần chúng, hoặc gõ mã (ví dụ N12) hay họ tên:"
EVAL_NONE_ACTIVE = "Chi bộ chưa có quần chúng nào trong nguồn để đánh giá. Thêm bằng /nguon, ví dụ: " + EXAMPLE_NGUON
EVAL_ALL_DONE = (
    "Cả {n} quần chúng trong nguồn đã được đánh giá {quarter}. "
    "Muốn đánh giá lại một người: /danhgia N12; khá; nhận xét"
)
EVAL_ASK_LEVEL = "Đánh giá chất lượng {quarter} ({i}/{n}): {who} — {stage}; nhóm: {groups}.{previous}\nĐồng chí chọn mức:"
EVAL_ASK_LEVEL_ONE = "Đánh giá chất lượng {quarter}: {who} — {stage}; nhóm: {groups}.{previous}\nĐồng chí chọn mức:"
EVAL_PREVIOUS = " Lần trước ({quarter}): {level}."
EVAL_CURRENT = " Đã đánh giá {quarter}: {level}; đánh giá mới sẽ thay thế."
EVAL_ASK_COMMENT = "Mức {level}. Nhận xét ngắn về {who} (tối đa 500 ký tự), hoặc chọn “Bỏ qua”. Ví dụ: tích cực, gương mẫu"
EVAL_SAVED = "✅ Đã ghi đánh giá {quarter}: {who} — mức {level}{comment}."
EVAL_REPLACED = "✅ Đã đánh giá lại {quarter}: {who} — mức {level}{comment} (thay cho mức {old} trước đó)."
EVAL_COMMENT = ", nhận xét: “{comment}”"
EVAL_SESSION_DONE = "Đã xong lượt đánh giá {quarter}: {done} người được đánh giá{skipped}."
EVAL_SKIPPED = "; bỏ qua {k} người — gõ /danhgia để đánh giá sau"
EVAL_STOPPED = "Đã dừng. Lượt này đồng chí đánh giá {done} người; còn {left} người chưa đánh giá {quarter} — gõ /danhgia để tiếp tục."
EVAL_WRONG_STAGE = "{Who} hiện là {stage}; đánh giá hằng quý chỉ dành cho quần chúng trong nguồn (chưa kết nạp)."
EVAL_RACE = "Vừa có người khác ghi đánh giá cho {who}. Đồng chí gửi lại để thay thế nếu cần."
COMMENT_WHAT = "nhận xét"

# /hoantac
UNDO_NOTHING = "Đồng chí chưa có thay đổi nào để hoàn tác."
UNDO_TOO_OLD = (
    "Thay đổi gần nhất của đồng chí ({what}, lúc {time}) đã quá 10 phút nên không hoàn tác được. "
    "Đồng chí sửa lại bằng lệnh tương ứng, ví dụ: /suanguon N12; ngày sinh; 05/03/1998"
)
UNDO_CONFLICT = (
    "Không hoàn tác được ({what}): hồ sơ đã được thay đổi sau đó. Đồng chí xem lại bằng /dsnguon "
    "và sửa bằng lệnh tương ứng."
)
UNDO_DONE = "↩️ Đồng chí đã hoàn tác: {what}."
UNDO_DELETED = "Hồ sơ {who} đã được xóa khỏi danh sách."
UNDO_STATE = "Hiện tại: {who} — {stage}."
UNDO_EVAL_DELETED = "{Quarter} chưa có đánh giá cho {who}."
UNDO_EVAL_STATE = "Đánh giá {quarter} của {who} trở lại mức {level}."
UNDO_ACTIONS = {
    "source.create": "ghi nhận nguồn {who}",
    "source.update": "sửa {field} của {who}",
    "source.remove": "đưa {who} ra khỏi nguồn",
    "source.awareness": "ghi nhận lớp bồi dưỡng nhận thức về Đảng của {who}",
    "source.admit": "ghi nhận kết nạp {who}",
    "source.recognise": "ghi nhận công nhận chính thức cho {who}",
    "evaluation.create": "đánh giá {quarter} của {who}",
    "evaluation.replace": "đánh giá lại {quarter} của {who}",
}

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
    "Dòng {line}, mục “{id}”: trường “{field}” không hợp lệ; chỉ dùng id, questions, answer, source, tags, "
    "related, kind, role_answers."
)
KB_ERR_MISSING_ID = "Dòng {line}: mục thứ {index} thiếu id."
KB_ERR_BAD_ID = "Dòng {line}: id “{id}” không hợp lệ; chỉ dùng chữ thường không dấu, chữ số và các dấu _ - ."
KB_ERR_DUPLICATE_ID = "Dòng {line}: id “{id}” trùng với mục ở dòng {first}."
KB_ERR_MISSING_FIELD = "Dòng {line}, mục “{id}”: thiếu “{field}” hoặc để trống."
KB_ERR_BAD_TEXT = "Dòng {line}, mục “{id}”: “{field}” phải là một đoạn văn bản."
KB_ERR_BAD_LIST = "Dòng {line}, mục “{id}”: “{field}” phải là danh sách các chuỗi không rỗng."
KB_ERR_DUPLICATE_QUESTION = "Dòng {line}, mục “{id}”: câu hỏi “{question}” trùng với câu hỏi của mục “{other}”."
KB_ERR_UNKNOWN_RELATED = "Dòng {line}, mục “{id}”: mục liên quan “{related}” không tồn tại."
KB_ERR_BAD_KIND = "Dòng {line}, mục “{id}”: “kind” phải là một trong: {kinds}."
KB_ERR_BAD_ROLES = (
    "Dòng {line}, mục “{id}”: “role_answers” phải là ánh xạ từ vai trò ({roles}) tới một đoạn văn bản."
)
KB_ERR_UNKNOWN_COMMAND = (
    "Mục “{id}”: câu trả lời nhắc lệnh {command}, nhưng Chibot không có lệnh này; "
    "hãy sửa để không hướng dẫn người dùng gõ lệnh chưa có."
)
# Small talk when the knowledge base has no greeting/thanks/insult entry of its own.
KB_SMALL_TALK_GREETING = (
    "Chào đồng chí! Chibot trả lời câu hỏi về công tác phát triển đảng viên và giúp bí thư chi bộ "
    "ghi nguồn, kết nạp, đánh giá ngay trên điện thoại. Gõ /trogiup để xem các lệnh."
)
KB_SMALL_TALK_THANKS = "Không có gì ạ. Đồng chí cần gì thêm cứ gõ câu hỏi, hoặc gõ /trogiup để xem các lệnh."
KB_SMALL_TALK_INSULT = (
    "Chibot chỉ trả lời câu hỏi về công tác phát triển đảng viên và cách dùng Chibot. Mong đồng chí "
    "giữ lời lẽ phù hợp; góp ý, phản ánh xin gửi {contact}."
)
KB_ERR_SELF_RELATED = "Dòng {line}, mục “{id}”: mục không thể liên quan tới chính nó."


# ==========================================================================================
# Zalo channel and account linking (/lienket).
# Keep the texts of this capability below this line and above the next section marker.
# ==========================================================================================
ZALO_CHOOSE_HINT = "Đồng chí gõ số hoặc nội dung của mục để chọn."
ZALO_MEDIA = (
    "Chibot chỉ đọc tin nhắn chữ, chưa xem được hình ảnh, nhãn dán hay tệp. Đồng chí gõ lệnh "
    "(ví dụ /nguon, /danhgia) hoặc gõ câu hỏi; gõ /trogiup để xem các việc có thể làm."
)
ZALO_FILE_LINK = "📄 {filename}: {link}\nLiên kết tải về dùng được đến {expires}."
ZALO_FILE_UNAVAILABLE = (
    "Chibot chưa gửi được tệp {filename} qua Zalo (máy chủ chưa cấu hình địa chỉ công khai để "
    "tải tệp). Đồng chí nhận tệp này trên Telegram, hoặc đề nghị quản trị viên xuất bằng lệnh "
    "chibot report trên máy chủ."
)
LINK_CODE_CREATED = (
    "Mã liên kết: {code} (dùng một lần, hết hạn lúc {time}).\n"
    "Để dùng Chibot trên cả hai ứng dụng, trên ứng dụng kia (Telegram hoặc Zalo) đồng chí gửi "
    "cho Chibot: /lienket {code}"
)
LINK_STATUS = "Tài khoản của đồng chí đang dùng trên: {apps}."
LINK_PREFERRED = "Nhắc việc và thông báo được gửi qua: {app}."
LINK_CHOOSE = "Đồng chí có thể chọn ứng dụng nhận nhắc việc, thông báo, hoặc hủy liên kết bên dưới."
LINK_PREFER_LABEL = "Nhận nhắc việc qua {app}"
LINK_UNLINK_LABEL = "Hủy liên kết {app}"
LINK_DONE = (
    "Đã liên kết: tài khoản {app} này dùng chung với tài khoản của đồng chí {name} ({role}, {unit}).\n"
    "Nhắc việc và thông báo được gửi qua: {preferred}. Gõ /lienket để đổi."
)
LINK_BAD_CODE = (
    "Mã liên kết không đúng hoặc đã dùng. Đồng chí kiểm tra lại mã (còn {left} lần thử), hoặc gõ "
    "/lienket trên ứng dụng đã đăng ký để lấy mã mới."
)
LINK_EXPIRED = "Mã liên kết đã hết hạn (10 phút). Đồng chí gõ /lienket trên ứng dụng đã đăng ký để lấy mã mới."
LINK_LOCKED = "Đồng chí đã nhập sai mã {n} lần. Vui lòng thử lại sau {time}."
LINK_SAME_APP = (
    "Mã này được tạo trên {app}; đồng chí gửi mã trên ứng dụng kia để liên kết. Ví dụ: tạo mã "
    "trên Telegram thì gửi /lienket MÃ trên Zalo."
)
LINK_ALREADY_SAME = "Tài khoản {app} này đã liên kết với tài khoản của đồng chí rồi."
LINK_ALREADY_OTHER = (
    "Tài khoản {app} này đang thuộc một người dùng khác của Chibot, nên không liên kết được. "
    "Đồng chí hủy liên kết trên tài khoản đó trước (gõ /lienket, chọn Hủy liên kết)."
)
LINK_HAS_APP = (
    "Tài khoản của đồng chí đã có một tài khoản {app}. Đồng chí hủy liên kết tài khoản đó trước "
    "(gõ /lienket, chọn Hủy liên kết {app}), rồi gửi lại mã."
)
LINK_NOT_REGISTERED = (
    "Đồng chí chưa đăng ký. Nếu đã dùng Chibot trên ứng dụng khác, đồng chí gõ /lienket ở đó để "
    "lấy mã, rồi gửi /lienket MÃ tại đây; nếu chưa, gửi mã mời: /start ABCD2345"
)
LINK_PREFERRED_SET = "Từ nay nhắc việc và thông báo được gửi qua {app}."
LINK_UNLINKED = "Đã hủy liên kết tài khoản {app}. Nhắc việc và thông báo được gửi qua: {preferred}."
LINK_LAST_IDENTITY = "Không thể hủy liên kết tài khoản duy nhất của đồng chí."
LINK_NO_SUCH_APP = "Tài khoản của đồng chí không có liên kết {app}."
LINK_NONE = "chưa có ứng dụng nào nhận được"
LINK_IN_GROUP = "Đồng chí gõ /lienket trong trò chuyện riêng với Chibot."



# ==========================================================================================
# Reminders, training classes (/lophoc), targets prompt and broadcasts (/thongbao).
# Keep the texts of this capability below this line and above the next section marker.
# ==========================================================================================


# ==========================================================================================
# Staff status, drill-down, reports (/tinhhinh for staff, /baocao, Excel and charts).
# Keep the texts of this capability below this line and above the next section marker.
# ==========================================================================================


# ==========================================================================================
# The secretary's everyday experience: a person's record (/xem), forgiving input, corrections.
# Keep the texts of this capability below this line.
# ==========================================================================================
