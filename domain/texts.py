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
UNKNOWN_COMMAND_MEANT = (
    "Không có lệnh {typed}. Có phải đồng chí muốn gõ /{meant}? Gõ /trogiup để xem các lệnh."
)
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
    "xem": "/xem N12 — xem toàn bộ hồ sơ một người (hoặc: /xem họ tên)",
    "lopnhanthuc": (
        "/lopnhanthuc — ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng "
        "(hoặc: /lopnhanthuc N12; dd/mm/yyyy; số giấy chứng nhận)"
    ),
    "danhgia": (
        "/danhgia — đánh giá quần chúng hằng quý, lần lượt từng người "
        "(hoặc: /danhgia N12; tốt|khá|trung bình|chưa đạt; nhận xét)"
    ),
    "ketnap": "/ketnap — ghi nhận kết nạp đảng viên (hoặc: /ketnap N12; dd/mm/yyyy; số quyết định)",
    "chinhthuc": "/chinhthuc — công nhận đảng viên chính thức (hoặc: /chinhthuc N12; dd/mm/yyyy; số quyết định)",
    "tinhhinh": "/tinhhinh [MÃ hoặc tên đơn vị] — tình hình đơn vị mình, xem chi tiết từng cấp",
    "baocao": "/baocao [MÃ hoặc tên đơn vị] — báo cáo tình hình: tệp Excel và biểu đồ",
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
    "xem": "Xem hồ sơ một người",
    "lopnhanthuc": "Ghi nhận hoàn thành lớp bồi dưỡng nhận thức về Đảng",
    "danhgia": "Đánh giá quần chúng ưu tú hằng quý",
    "ketnap": "Ghi nhận kết nạp đảng viên",
    "chinhthuc": "Công nhận đảng viên chính thức",
    "tinhhinh": "Tình hình phát triển đảng viên của đơn vị",
    "baocao": "Báo cáo Excel và biểu đồ tình hình phát triển đảng viên",
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
IMPORT_ROW_BAD_KIND = (
    "Dòng {row}: loại đơn vị \"{kind}\" không hợp lệ; dùng tỉnh, huyện, cơ sở hoặc chi bộ "
    "(có dấu hay không dấu; hoặc province, district, grassroots, cell)."
)
IMPORT_ROW_BAD_MEMBERS = "Dòng {row}: số đảng viên \"{members}\" phải là số nguyên không âm."
IMPORT_ROW_DUPLICATE = "Dòng {row}: mã đơn vị \"{code}\" trùng với dòng {first}."
IMPORT_ROW_UNKNOWN_PARENT = "Dòng {row}: đơn vị cha \"{parent}\" không có trong tệp cũng như trong cơ sở dữ liệu."
IMPORT_ROW_SELF_PARENT = "Dòng {row}: đơn vị \"{code}\" không thể là cha của chính nó."
IMPORT_CYCLE = "Các dòng {rows}: quan hệ cha–con tạo thành vòng lặp ({codes})."
IMPORT_REFUSED = "Không nhập dữ liệu nào vì tệp có {n} lỗi:"
IMPORT_DONE = "Đã nhập {total} đơn vị: thêm mới {created}, cập nhật {updated}, không đổi {unchanged}."

# --- status and reports (/tinhhinh, chibot report, chibot target) ---------------------------
QUARTER_LABEL = "quý {roman}/{year}"
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
# The person named without the stage, where the stage follows in the sentence ("… hiện là …").
WHO_PLAIN = {
    "source": "quần chúng {name} ({code})",
    "awareness": "quần chúng {name} ({code})",
    "removed": "quần chúng {name} ({code})",
    "probationary": "đồng chí {name} ({code})",
    "full": "đồng chí {name} ({code})",
}
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
DATE_EMPTY = "Chưa có {what}. Đồng chí gõ theo dạng ngày/tháng/năm (hoặc “hôm nay”), ví dụ: {example}"
DATE_FORMAT = "{What} “{value}” chưa đúng dạng ngày/tháng/năm (dd/mm/yyyy). Ví dụ: {example}"
DATE_INVALID = (
    "{What} {value} không có thật trên lịch: tháng đó không có ngày này. "
    "Đồng chí kiểm tra lại, ví dụ: {example}"
)
DATE_INVALID_MONTH = (
    "{What} {value} không có thật: tháng phải từ 1 đến 12 (gõ ngày trước, tháng sau). "
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
NGUON_NO_DIACRITICS = "Lưu ý: họ tên chưa có dấu; đồng chí gõ lại tên có dấu: /suanguon {code}; tên; {name}"
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
    "Đồng chí xác nhận đã có quyết định đó? (Gõ một dòng: /suanguon {code}; ngày kết nạp; {date}; xác nhận; "
    "{example})"
)
EDIT_BIRTH_OVER_60 = (
    "Với ngày sinh {birth}, đến ngày kết nạp {date} {who} đã {age} tuổi. Điều lệ Đảng quy định người vào Đảng "
    "từ đủ 18 đến đủ 60 tuổi; trên 60 tuổi chỉ kết nạp khi có quyết định của cấp ủy trực thuộc Trung ương. "
    "Đồng chí xác nhận đã có quyết định đó? (Gõ một dòng: /suanguon {code}; ngày sinh; {birth}; xác nhận; "
    "{example})"
)
EDIT_APPROVAL_CLEARED = (
    "Đến ngày kết nạp {date}, {who} chưa quá 60 tuổi nên không cần quyết định cho phép kết nạp trên 60 tuổi; "
    "đã bỏ ghi nhận quyết định {decision} của {authority}."
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
    "Trung ương. Đồng chí xác nhận đã có quyết định đó? (Gõ một dòng: /ketnap {code}; {date}; số quyết định; "
    "xác nhận; 45-QĐ/TU, Tỉnh ủy Bình Định)"
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
RECOGNISE_DONE = "✅ Đồng chí đã ghi nhận công nhận đảng viên chính thức: đồng chí {name} ({code}), ngày {date}{decision}."
RECOGNISE_LATE = "Lưu ý: ngày công nhận sau hạn chi bộ phải xét ({deadline})."
RECOGNISE_WRONG_STAGE = "{Who} hiện là {stage}; chỉ công nhận chính thức cho đảng viên dự bị."
RECOGNISE_DATE_WHAT = "ngày công nhận"
RECOGNISE_USAGE = (
    "Cách ghi một dòng: /chinhthuc MÃ_HOẶC_TÊN; dd/mm/yyyy[; số quyết định]. "
    "Ví dụ: /chinhthuc N12; 20/11/2026; 45-QĐ/ĐU"
)

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
    "Đồng chí sửa lại bằng lệnh tương ứng, ví dụ: {example}"
)
UNDO_EXAMPLE_SOURCE = "/suanguon {code}; mục; giá trị mới (xem hồ sơ: /xem {code})"
UNDO_EXAMPLE_EVALUATION = "/danhgia {code}; mức; nhận xét (đánh giá lại), hoặc /danhgia {code}; xóa"
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
    "source.remove.probationary": "xóa tên {who} khỏi danh sách đảng viên dự bị",
    "source.awareness": "ghi nhận lớp bồi dưỡng nhận thức về Đảng của {who}",
    "source.admit": "ghi nhận kết nạp {who}",
    "source.recognise": "ghi nhận công nhận chính thức cho {who}",
    "evaluation.create": "đánh giá {quarter} của {who}",
    "evaluation.replace": "đánh giá lại {quarter} của {who}",
    "evaluation.remove": "xóa đánh giá {quarter} của {who}",
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
KB_ERR_EXAMPLES_ROOT = "Tệp ví dụ {path} phải là YAML dạng ánh xạ có khóa “questions” chứa danh sách câu hỏi."
KB_ERR_EXAMPLES_PATH = "Khóa “meta.examples” phải là đường dẫn tới tệp ví dụ (tương đối so với tệp cơ sở tri thức)."
KB_ERR_EXAMPLE_BAD = (
    "Tệp ví dụ, dòng {line}: mỗi ví dụ cần “q” là câu hỏi và “expect” là id của mục trả lời "
    "(hoặc null khi không mục nào trả lời), tùy chọn “role”, “near”, “nfd”, “split”."
)
KB_ERR_EXAMPLE_UNKNOWN = "Tệp ví dụ, dòng {line}: mục “{id}” không có trong cơ sở tri thức."
KB_ERR_EXAMPLE_BAD_ROLE = "Tệp ví dụ, dòng {line}: “role” phải là một trong: {roles}."
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
COMMAND_HELP.update({
    "lophoc": "/lophoc — các lớp bồi dưỡng sắp tới; cán bộ mở lớp (/lophoc tao), bí thư ghi nhận người dự lớp",
    "chitieu": "/chitieu — giao chỉ tiêu kết nạp năm nay cho các đơn vị trực thuộc (hoặc: /chitieu MÃ; số)",
    "thongbao": "/thongbao — gửi thông báo tới bí thư chi bộ (/thongbao ketqua: kết quả gửi)",
})
COMMAND_MENU.update({
    "lophoc": "Các lớp bồi dưỡng sắp tới",
    "chitieu": "Giao chỉ tiêu kết nạp cho đơn vị trực thuộc",
    "thongbao": "Gửi thông báo tới bí thư chi bộ",
})

# --- scheduled reminders (scheduler/jobs.py) ---
SCHED_AND_MORE = "• … và {n} người khác"
SCHED_EVAL_FIRST = (
    "📋 Nhắc đánh giá {quarter}: {unit} còn {n} quần chúng ưu tú chưa được đánh giá chất lượng "
    "(Chỉ thị 13-CT/TU: định kỳ hằng quý đánh giá, phân tích chất lượng quần chúng ưu tú):\n{names}\n"
    "Hạn đánh giá: {deadline}. Gõ /danhgia để đánh giá lần lượt từng người."
)
SCHED_EVAL_SECOND = (
    "📋 Sắp đến hạn đánh giá {quarter} ({deadline}): {unit} còn {n} quần chúng ưu tú chưa được đánh giá:\n"
    "{names}\nGõ /danhgia để đánh giá lần lượt từng người, hoặc /danhgia N12; tốt; nhận xét."
)
SCHED_LATE_LINE = "• {unit} ({code}): {n} người chưa đánh giá"
SCHED_LATE = (
    "Đã quá hạn đánh giá {quarter} ({deadline}): {n} chi bộ trực thuộc {unit} chưa đánh giá xong "
    "chất lượng quần chúng ưu tú:\n{lines}\nĐồng chí đôn đốc các chi bộ; xem chi tiết: /tinhhinh {code}"
)
SCHED_LATE_ESCALATED = (
    "Đã quá hạn đánh giá {quarter} ({deadline}) hơn một tuần: {n} chi bộ thuộc {unit} vẫn chưa đánh giá "
    "xong chất lượng quần chúng ưu tú:\n{lines}\nĐồng chí đôn đốc cấp ủy cơ sở; xem chi tiết: /tinhhinh {code}"
)
SCHED_PROBATION = {
    "ended": (
        "Đảng viên dự bị {name} ({code}), {unit}, kết nạp ngày {admission}, đã đủ 12 tháng dự bị ngày {ended}. "
        "Chi bộ xem xét công nhận đảng viên chính thức trước {deadline} (trong 30 ngày làm việc). "
        "Khi chi bộ đã xét, gõ: /chinhthuc {code}; dd/mm/yyyy"
    ),
    "soon": (
        "Còn {days} ngày đến hạn xét công nhận đảng viên chính thức cho đảng viên dự bị {name} ({code}), "
        "{unit}: hạn {deadline}. Khi chi bộ đã xét, gõ: /chinhthuc {code}; dd/mm/yyyy"
    ),
    "passed": (
        "Đã quá hạn xét công nhận đảng viên chính thức ({deadline}) cho đảng viên dự bị {name} ({code}), "
        "{unit}. Nếu chi bộ đã công nhận, gõ: /chinhthuc {code}; dd/mm/yyyy; nếu không, báo cáo cấp ủy cấp trên."
    ),
}
SCHED_PROBATION_STAFF = (
    "Đã quá hạn xét công nhận đảng viên chính thức ({deadline}) cho đảng viên dự bị {name} ({code}) của "
    "{unit}, kết nạp ngày {admission}. Đồng chí đôn đốc chi bộ; xem chi tiết: /tinhhinh {code_unit}"
)
SCHED_TARGET_LINE = "• {unit} ({code}): {members} đảng viên, đề xuất {proposed}"
SCHED_TARGET = (
    "Đầu năm {year}: đồng chí giao chỉ tiêu kết nạp đảng viên cho {n} đơn vị trực thuộc {unit} chưa có chỉ tiêu "
    "(Chỉ thị 13-CT/TU giao chỉ tiêu hằng năm; đề xuất = {rate}% số đảng viên, làm tròn lên):\n{lines}\n"
    "Bấm “Nhận tất cả đề xuất”, hoặc gõ /chitieu để giao từng đơn vị, ví dụ: /chitieu {example}; {example_n}"
)
TARGET_ACCEPT_ALL = "Nhận tất cả đề xuất"
SCHED_CLASS_ANNOUNCEMENT = (
    "📣 Thông báo {title} (lớp số {id}): {date} lúc {time}, tại {place}. Dành cho {unit}. "
    "Đồng chí thông báo cho người của chi bộ cần dự lớp. Xem các lớp sắp tới: /lophoc"
)
SCHED_CLASS_REMINDER = (
    "⏰ Nhắc lịch: {title} (lớp số {id}) học ngày mai {date} lúc {time}, tại {place}. "
    "Đồng chí nhắc người của chi bộ dự lớp đúng giờ. Xem các lớp: /lophoc"
)
SCHED_CLASS_ATTENDANCE = (
    "{title} (lớp số {id}) ngày {date} đã diễn ra. Đồng chí ghi nhận người của chi bộ đã dự lớp: "
    "bấm “Ghi nhận người dự lớp” hoặc gõ /lophoc diemdanh {id}"
)

# --- training classes (/lophoc) ---
CLASS_KIND_NAMES = {
    "awareness": "Lớp bồi dưỡng nhận thức về Đảng",
    "new_member": "Lớp bồi dưỡng đảng viên mới",
}
CLASS_RECORD_BUTTON = "Ghi nhận người dự lớp"
CLASS_BAD_KIND = "Loại lớp là “nhận thức” (lớp bồi dưỡng nhận thức về Đảng) hoặc “đảng viên mới”."
CLASS_IN_PAST = "Thời gian khai giảng phải ở tương lai, ví dụ: 15/12/2026 07:30."
CLASS_BAD_PLACE = "Địa điểm (hoặc đường dẫn học trực tuyến) không được để trống, tối đa 500 ký tự."
CLASS_UNKNOWN_PERSON = "Không có người mã {code} trong {unit}. Ví dụ danh sách: N12, N15"
CLASS_PERSON_WRONG_STAGE = "Người mã {code} không thuộc đối tượng của lớp này."
CLASS_UNKNOWN = "Không có lớp số {id} dành cho chi bộ của đồng chí. Gõ /lophoc để xem các lớp."
CLASS_NOT_YET = "Lớp số {id} chưa diễn ra; ghi nhận người dự lớp sau khi lớp học xong."

# --- broadcasts (/thongbao, chibot broadcast) ---
BROADCAST_ASK_TEXT = "Đồng chí gõ nội dung thông báo gửi bí thư chi bộ (tối đa 3000 ký tự). Gõ /huy để thôi."
BROADCAST_ASK_AUDIENCE = "Gửi thông báo tới ai trong {unit}?"
BROADCAST_AUDIENCE_CHOICES = {
    "subtree": "Toàn bộ chi bộ trong {unit}",
    "late": "Chi bộ chưa đánh giá quý này",
    "unit": "Một đơn vị (gõ mã)",
}
BROADCAST_AUDIENCE_HINT = "Đồng chí bấm một lựa chọn, hoặc gõ 1 (toàn bộ), 2 (chưa đánh giá), 3 (một đơn vị)."
BROADCAST_ASK_UNIT = "Đồng chí gõ mã đơn vị nhận thông báo, ví dụ: {example}"
BROADCAST_PREVIEW = (
    "Xem lại thông báo:\n“{text}”\n\nNgười nhận: bí thư chi bộ — {audience} của {unit}: {n} người "
    "({linked} đã liên kết tài khoản, {not_linked} chưa liên kết). Gửi thông báo?"
)
BROADCAST_SEND = "Gửi thông báo"
BROADCAST_QUEUED = (
    "Đã xếp hàng gửi thông báo số {id}: {queued} tin tới {recipients} bí thư chi bộ "
    "({not_linked} chưa liên kết tài khoản, {blocked} đã chặn Chibot). Tin được gửi dần, không gửi trong "
    "giờ nghỉ đêm; khi gửi xong Chibot báo kết quả. Xem lúc nào cũng được: /thongbao ketqua"
)
BROADCAST_NONE_YET = "Đồng chí chưa gửi thông báo nào. Gửi thông báo: /thongbao"
BROADCAST_CLI_QUEUED = (
    "Đã xếp hàng thông báo số {id}: {queued} tin tới {recipients} bí thư chi bộ của {code} "
    "({not_linked} chưa liên kết tài khoản, {blocked} đã chặn Chibot); bot đang chạy sẽ gửi."
)

CLI_SCHEDULE_BAD_AT = "--at \"{value}\" không phải thời điểm dd/mm/yyyy HH:MM (giờ địa phương), ví dụ: --at \"01/12/2026 08:00\""
CLI_SCHEDULE_HEADER = "{n} tin đến hạn lúc {at} (giờ địa phương; lệnh này không gửi gì):"

# --- yearly targets (/chitieu) ---
TARGETS_NO_CHILDREN = "{unit} không có đơn vị trực thuộc để giao chỉ tiêu."
TARGETS_ASSIGNED = "đã giao {target}"
TARGETS_PROPOSED = "chưa giao, đề xuất {proposed}"
TARGETS_LINE = "• {unit} ({code}): {members} đảng viên — {state}"
TARGETS_LIST = (
    "Chỉ tiêu kết nạp đảng viên năm {year} của các đơn vị trực thuộc {unit}:\n{lines}\n"
    "Giao cho một đơn vị: /chitieu {example}; 2 — hoặc bấm “Nhận tất cả đề xuất” cho các đơn vị chưa giao."
)
TARGETS_NONE_MISSING = "Các đơn vị trực thuộc {unit} đều đã có chỉ tiêu năm {year}. Xem: /chitieu"
TARGETS_SET_LINE = "• {unit} ({code}): chỉ tiêu {target}"
TARGETS_ACCEPTED = "Đã giao chỉ tiêu kết nạp năm {year} theo đề xuất cho {n} đơn vị:\n{lines}"
TARGETS_USAGE = (
    "Cách ghi: /chitieu (xem danh sách), /chitieu {example}; 2 (giao cho một đơn vị), "
    "/chitieu nhan (nhận tất cả đề xuất)."
)
TARGETS_NONE_BEFORE = "chưa giao"

# --- training classes: the chat (/lophoc) ---
CLASS_LINE = "• Lớp số {id} — {title}: {date} lúc {time}, tại {place} (dành cho {unit})"
CLASS_LIST = "Các lớp bồi dưỡng sắp tới:\n{lines}"
CLASS_NONE = "Hiện chưa có lớp bồi dưỡng nào sắp tới dành cho đơn vị của đồng chí."
CLASS_HINT_STAFF = "Mở lớp mới: /lophoc tao (hoặc: /lophoc tao nhận thức; 15/12/2026 07:30; Hội trường xã; MÃ_ĐƠN_VỊ)"
CLASS_HINT_SECRETARY = "Sau buổi học, ghi nhận người dự lớp: /lophoc diemdanh SỐ_LỚP (ví dụ: /lophoc diemdanh 3)"
CLASS_USAGE = (
    "Cách ghi: /lophoc (các lớp sắp tới), /lophoc tao (cán bộ mở lớp), "
    "/lophoc diemdanh 3 (bí thư ghi nhận người dự lớp số 3)."
)
CLASS_STAFF_ONLY = "Chỉ cán bộ cấp ủy mở lớp bồi dưỡng. Xem các lớp sắp tới: /lophoc"
CLASS_SECRETARY_ONLY = "Bí thư chi bộ ghi nhận người của chi bộ đã dự lớp. Xem các lớp: /lophoc"
CLASS_ASK_KIND = "Mở lớp nào?"
CLASS_ASK_TIME = "Ngày và giờ khai giảng (dd/mm/yyyy HH:MM), ví dụ: {example} 07:30"
CLASS_BAD_TIME = "“{value}” không phải ngày giờ hợp lệ. Ví dụ: 15/12/2026 07:30"
CLASS_ASK_PLACE = "Địa điểm học, hoặc đường dẫn học trực tuyến (ví dụ: Hội trường Đảng ủy xã, https://meet.example/lop)"
CLASS_ASK_UNIT = "Lớp dành cho đơn vị nào? Gõ mã đơn vị, hoặc bấm để chọn {unit} ({code})."
CLASS_OWN_UNIT = "Đơn vị của tôi ({code})"
CLASS_ASK_PEOPLE = (
    "Lớp dành cho những người cụ thể? Gõ mã của họ (ví dụ: N12, N15) để chỉ báo cho chi bộ của họ, "
    "hoặc bấm “Bỏ qua” để báo cho mọi chi bộ của đơn vị."
)
CLASS_PREVIEW_PEOPLE = " ({n} người được cử đi học)"
CLASS_PREVIEW = (
    "Xem lại: {kind}, {date} lúc {time}, tại {place}; dành cho bí thư các chi bộ của {unit}{people}. Mở lớp?"
)
CLASS_CREATED = (
    "Đã mở lớp:\n{line}\nChibot sẽ thông báo cho {n} bí thư chi bộ, nhắc trước một ngày và "
    "sau buổi học hỏi ai đã dự lớp."
)
CLASS_ATT_USAGE = "Cách ghi: /lophoc diemdanh SỐ_LỚP, hoặc /lophoc diemdanh 3; N12, N15"
CLASS_ATT_BAD_CODES = "“{value}” không phải mã người. Ví dụ: N12, N15"
CLASS_ATT_NOBODY = "Chi bộ không có ai thuộc đối tượng của lớp số {id}."
CLASS_ATT_ASK = "{line}\nĐồng chí chọn những người của chi bộ đã dự lớp (bấm để đánh dấu), rồi bấm “Chọn xong”. Có thể gõ mã: N12, N15"
CLASS_ATT_NONE_CHOSEN = "Chưa chọn ai; không có gì được lưu. Ghi nhận lại: /lophoc diemdanh {id}"
CLASS_ATT_RECORDED_LINE = "• {who} — đã dự lớp"
CLASS_ATT_ALREADY_LINE = "• {who} (đã ghi nhận trước đó)"
CLASS_ATT_DONE_AWARENESS = (
    "Đã ghi nhận {n} người dự lớp số {id}, hoàn thành lớp bồi dưỡng nhận thức về Đảng ngày {date}:\n{lines}\n"
    "Sửa số giấy chứng nhận: /suanguon N12; số giấy chứng nhận; 125/GCN-TTCT"
)
CLASS_ATT_DONE = "Đã ghi nhận {n} đảng viên dự bị dự lớp số {id} ngày {date}:\n{lines}"
BROADCAST_AUDIENCE_NAMES = {
    "subtree": "toàn bộ chi bộ trực thuộc",
    "late": "các chi bộ chưa đánh giá quý này",
    "unit": "một đơn vị",
}
BROADCAST_EMPTY = "Nội dung thông báo trống. Ví dụ: /thongbao Họp bí thư chi bộ lúc 8 giờ ngày 15/12/2026."
BROADCAST_TOO_LONG = "Thông báo dài {n} ký tự, tối đa {limit}. Đồng chí rút gọn rồi gửi lại."
BROADCAST_BAD_AUDIENCE = "Người nhận là: toàn bộ chi bộ trực thuộc, các chi bộ chưa đánh giá, hoặc một đơn vị."
BROADCAST_NOBODY = "Không có bí thư chi bộ nào đã đăng ký trong {unit} để nhận thông báo."
BROADCAST_FROM_CLI = "cấp ủy"
BROADCAST_MESSAGE = (
    "📢 Thông báo của {unit} ({sender}):\n{text}\n\n"
    "Đồng chí nhận thông báo này vì là bí thư chi bộ thuộc {unit}."
)
BROADCAST_REPORT = (
    "Kết quả gửi thông báo số {id} ({date} {time}) tới {audience} của {unit}: {recipients} người nhận — "
    "đã gửi {sent}, lỗi {failed}, đã chặn Chibot {blocked}, chưa liên kết tài khoản {not_linked}."
)
BROADCAST_REPORT_PENDING = "Còn {pending} tin đang chờ gửi."


# ==========================================================================================
# Staff status, drill-down, reports (/tinhhinh for staff, /baocao, Excel and charts).
# Keep the texts of this capability below this line and above the next section marker.
# ==========================================================================================
# Finding a unit by code or by part of its name (/tinhhinh, /baocao).
UNIT_NOT_FOUND = (
    "Không tìm thấy đơn vị “{text}” trong phạm vi của đồng chí. Đồng chí gõ mã đơn vị hoặc một "
    "phần tên (có dấu hoặc không dấu), ví dụ: /{command} {example}"
)
UNIT_SEVERAL = "Có {n} đơn vị khớp với “{text}”. Đồng chí chọn một đơn vị:"
# Where only a unit code is taken (/chitieu, the unit step of /lophoc and /thongbao).
UNIT_CODE_UNKNOWN = (
    "Không tìm thấy đơn vị có mã “{code}”. Đồng chí xem mã các đơn vị bằng /tinhhinh; "
    "mã đơn vị của đồng chí là {example}."
)
UNIT_MANY = (
    "Có hơn {n} đơn vị khớp với “{text}”; dưới đây là {n} đơn vị đầu tiên. "
    "Đồng chí gõ thêm chữ trong tên để thu hẹp."
)
# The staff view of a subtree.
STAFF_PIPELINE = "Đảng viên dự bị: {probationary}; công nhận chính thức năm {year}: {recognised}"
STAFF_PROJECTION = "Dự kiến đến 31/12/{year}: {projected}/{target} (thêm {likely} cảm tình Đảng có khả năng kết nạp)"
STAFF_PROJECTION_MISS = "⚠️ Dự kiến không đạt chỉ tiêu kết nạp năm {year} (thiếu {short})."
STAFF_PROBATION_OVERDUE = "trong đó đã quá hạn: {n}"
STAFF_CHILD_FLAGGED = "⚠️ {name} ({code}): {admissions}/{target}, chưa đánh giá {due} — {marks}"
MARK_WILL_MISS = "dự kiến không đạt chỉ tiêu"
MARK_BELOW_TARGET = "chưa đạt chỉ tiêu"
MARK_LATE_CELL = "chậm đánh giá"
MARK_LATE_CELLS = "{n} chi bộ chậm đánh giá"
MARK_PROBATION_OVERDUE = "{n} dự bị quá hạn xét chính thức"
STAFF_REPORT_HINT = "Gõ /baocao {code} để nhận tệp Excel và biểu đồ."
# /baocao
REPORT_READY = "Báo cáo tình hình phát triển đảng viên năm {year} — {name} ({code}), ngày {date}: tệp Excel."
REPORT_CHART_CAPTION = "Biểu đồ tỷ lệ kết nạp năm {year} — {name} ({code})."
# The workbook (bot/xlsx.py): sheet names (at most 31 characters), headers and notes.
XLSX_SHEET_SUMMARY = "Tổng hợp"
XLSX_SHEET_LATE = "Chi bộ chậm đánh giá"
XLSX_SHEET_PROBATION = "Hạn xét chính thức"
XLSX_SHEET_ADMISSIONS = "Kết nạp năm {year}"
XLSX_TITLE = "TÌNH HÌNH PHÁT TRIỂN ĐẢNG VIÊN NĂM {year} — {name} ({code})"
XLSX_SUBTITLE = "Số liệu đến ngày {date}; bình quân giai đoạn {first}–{last}; yêu cầu trên {required}/năm."
XLSX_SUMMARY_HEADERS = (
    "STT", "Mã", "Đơn vị", "Đảng viên", "Chỉ tiêu", "Kết nạp", "Tỷ lệ", "BQ giai đoạn",
    "Dự kiến cuối năm", "Dự kiến đạt", "Nguồn đang bồi dưỡng",
    "Đoàn viên thanh niên", "Trí thức", "Quân nhân dự bị", "Dân quân tự vệ", "Học sinh, sinh viên",
    "Khu vực nông thôn", "Công nhân KTTN", "Nhóm khác",
    "Quần chúng chưa học lớp", "Cảm tình Đảng", "Đảng viên dự bị", "Công nhận chính thức",
    "Chưa đánh giá quý", "Chi bộ chậm đánh giá", "Dự bị đến hạn", "Dự bị quá hạn",
)
XLSX_TOTAL = "Tổng cộng"
XLSX_YES = "Đạt"
XLSX_NO = "Không đạt"
XLSX_LATE_HEADERS = ("STT", "Mã", "Chi bộ", "Số quần chúng chưa đánh giá", "Bí thư chi bộ")
XLSX_LATE_NONE = "Không có chi bộ chậm đánh giá {quarter} (hạn {deadline})."
XLSX_LATE_SUBTITLE = "Chi bộ còn quần chúng ưu tú chưa được đánh giá {quarter} sau hạn {deadline}."
XLSX_PROBATION_HEADERS = ("STT", "Mã", "Họ và tên", "Mã đơn vị", "Chi bộ", "Ngày kết nạp",
                          "Hạn xét công nhận", "Tình trạng")
XLSX_PROBATION_OVERDUE = "Quá hạn"
XLSX_PROBATION_DUE = "Đến hạn trong 30 ngày"
XLSX_PROBATION_LATER = "Chưa đến hạn"
XLSX_PROBATION_UNKNOWN = "Chưa có hạn"
XLSX_MORE_ROWS = "… và {n} dòng khác; đồng chí xuất báo cáo cho từng đơn vị trực thuộc để xem đủ."
XLSX_ADMISSION_HEADERS = ("STT", "Mã", "Họ và tên", "Mã đơn vị", "Chi bộ", "Ngày kết nạp", "Số quyết định")
# The chart (bot/charts.py).
CHART_TITLE = "Tỷ lệ kết nạp đảng viên năm {year} — {name}"
CHART_RATE_AXIS = "Tỷ lệ kết nạp so với số đảng viên (%)"
CHART_TARGET_LINE = "Yêu cầu {required}"
CHART_UNIT_RATE = "Tỷ lệ kết nạp"
CHART_BY_YEAR = "Tỷ lệ kết nạp theo năm — {name}"
CHART_YEAR_AXIS = "Năm"
CHART_MORE_UNITS = "(và {n} đơn vị khác)"
# chibot report / org tree (terminal).
REPORT_SEVERAL_ROOTS_FILE = "có {n} đơn vị gốc ({codes}); chọn một bằng --org MÃ"
REPORT_FILE_WRITTEN = "Đã ghi {path}"
REPORT_BAD_DEPTH = "--depth phải là số nguyên từ 0 trở lên, ví dụ: --depth 2"


# ==========================================================================================
# The secretary's everyday experience: a person's record (/xem), forgiving input, corrections.
# Keep the texts of this capability below this line.
# ==========================================================================================
# Forgiving one-line input: a wrong field is asked again, the good ones are kept.
LINE_RETYPE = "Đồng chí gõ lại {what} (các mục khác đã được giữ lại):"
NAME_ONE_WORD = "“{value}” mới có một từ; đồng chí gõ đủ họ và tên, ví dụ: Nguyễn Văn An"
NAME_SEPARATOR_HINT = (
    "\nCác mục của lệnh cách nhau bằng dấu chấm phẩy “;” hoặc xuống dòng, ví dụ:\n"
    "/nguon Nguyễn Văn An; 05/03/1998; đoàn viên"
)
PERSON_WHAT = "mã hoặc họ tên"
FIELD_WHAT = "mục cần sửa (ví dụ: ngày sinh)"
LIST_DUE = " ⏰ cần xét công nhận"
LIST_RECORD_HINT = "Chọn một người để xem toàn bộ hồ sơ (hoặc gõ /xem N12)."

# /xem: one person's whole record.
RECORD_USAGE = "Đồng chí gõ mã hoặc họ tên người cần xem, ví dụ: /xem N12 hoặc /xem Nguyễn Văn An"
RECORD_STAFF_CODE = "Cán bộ cấp ủy xem hồ sơ theo mã, ví dụ: /xem N12 (mã có trong danh sách của chi bộ)."
RECORD_NOT_FOUND = "Không có người mã {code} trong các đơn vị đồng chí phụ trách. Ví dụ: /xem N12"
RECORD_TITLE = "📋 Hồ sơ {who}"
RECORD_BIRTH = "Sinh {birth} ({age} tuổi) · {unit}"
RECORD_STAGE = "Giai đoạn: {stage}"
RECORD_GROUPS = "Nhóm: {groups}"
RECORD_NOTE = "Ghi chú: {note}"
RECORD_AWARENESS = "Học xong lớp nhận thức về Đảng: {date}{cert}"
RECORD_CERT = ", giấy chứng nhận số {cert}"
RECORD_ADMISSION = "Kết nạp: {date}{decision}"
RECORD_DECISION = ", quyết định số {decision}"
RECORD_OVER_60 = "Kết nạp trên 60 tuổi theo quyết định {decision} của {authority}"
RECORD_PROBATION = "Hết 12 tháng dự bị: {earliest}; hạn xét công nhận: {deadline}{flag}"
RECORD_DUE = " ⏰ cần xét công nhận"
RECORD_LATE = " ⚠️ đã quá hạn"
RECORD_RECOGNITION = "Công nhận chính thức: {date}{decision}"
RECORD_REMOVED = "Đã đưa ra khỏi nguồn ngày {date}: {reason}"
RECORD_REMOVED_PROBATIONARY = "Đã xóa tên khỏi danh sách đảng viên dự bị ngày {date}: {reason}"
RECORD_EVALUATIONS = "Đánh giá hằng quý:"
RECORD_EVALUATION = "• {quarter}: mức {level}{comment}"
RECORD_EVALUATION_COMMENT = ", nhận xét “{comment}”"
RECORD_NO_EVALUATIONS = "Chưa có đánh giá hằng quý nào."
RECORD_HISTORY = "Lịch sử thay đổi:"
RECORD_HISTORY_LINE = "• {time} {actor} đã {what}{undone}"
RECORD_HISTORY_UNDONE = " (đã hoàn tác)"
RECORD_HISTORY_MORE = "… và {n} thay đổi trước đó."
RECORD_ACTOR_UNKNOWN = "hệ thống"
RECORD_ACTIONS = {
    "source.create": "ghi nhận vào nguồn",
    "source.update": "sửa {field}: “{old}” → “{new}”",
    "source.remove": "đưa ra khỏi nguồn ({reason})",
    "source.remove.probationary": "xóa tên khỏi danh sách đảng viên dự bị ({reason})",
    "source.awareness": "ghi nhận học xong lớp nhận thức về Đảng",
    "source.admit": "ghi nhận kết nạp",
    "source.recognise": "ghi nhận công nhận chính thức",
    "evaluation.create": "đánh giá {quarter}: {level}",
    "evaluation.replace": "đánh giá lại {quarter}: {level}",
    "evaluation.remove": "xóa đánh giá {quarter}",
    "undo": "hoàn tác việc {what}",
}
RECORD_UNDO_WHAT = {
    "source.create": "ghi nhận vào nguồn",
    "source.update": "sửa hồ sơ",
    "source.remove": "đưa ra khỏi nguồn",
    "source.remove.probationary": "xóa tên khỏi danh sách đảng viên dự bị",
    "source.awareness": "ghi nhận lớp nhận thức về Đảng",
    "source.admit": "ghi nhận kết nạp",
    "source.recognise": "ghi nhận công nhận chính thức",
    "evaluation.create": "đánh giá",
    "evaluation.replace": "đánh giá lại",
    "evaluation.remove": "xóa đánh giá",
    "_": "thay đổi trước đó",
}
# The stage in the evaluation question, after "quần chúng X (N12) —" (not "quần chúng" twice).
EVAL_STAGE = {"source": "đang trong nguồn", "awareness": "cảm tình Đảng (đã học lớp nhận thức về Đảng)"}
# /danhgia for the quarter just closed, and removing a mistaken evaluation.
EVAL_QUARTER_CLOSED = (
    "Không đánh giá {quarter} được nữa: chỉ đánh giá quý hiện tại ({current}), hoặc quý trước "
    "trong tháng đầu của quý sau. Ví dụ: /danhgia N12; khá; tích cực"
)
EVAL_QUARTER_WORDS_HINT = "Quý trước: /danhgia N12; quý trước; khá; nhận xét (trong tháng đầu của quý)."
EVAL_REMOVE_NONE = "{Who} chưa có đánh giá {quarter} để xóa."
EVAL_REMOVED = "✅ Đồng chí đã xóa đánh giá {quarter} của {who} (mức {level}). Nếu nhầm, gõ /hoantac trong 10 phút."
EVAL_PREVIOUS_OPEN = "Đang đánh giá bổ sung {quarter} (quý trước, mở đến hết tháng đầu của quý này)."
EVAL_REMOVE_USAGE = "Cách xóa một đánh giá nhầm: /danhgia N12; xóa (quý này) hoặc /danhgia N12; xóa; quý trước"
EVAL_REMOVE_BY_CODE = "Đồng chí gõ theo mã, ví dụ: /danhgia N12; xóa"
LEVEL_WHAT = "mức đánh giá (tốt, khá, trung bình, chưa đạt)"
# Over 60: who allowed the admission, by which decision; /chinhthuc's decision number.
EXAMPLE_APPROVAL = "45-QĐ/TU, Tỉnh ủy Bình Định"
AUTHORITY_WHAT = "cấp ủy cho phép"
APPROVAL_FORMAT = (
    "“{value}” chưa đủ: đồng chí gõ số quyết định, dấu phẩy, rồi cấp ủy đã cho phép, "
    "ví dụ: 45-QĐ/TU, Tỉnh ủy Bình Định"
)
APPROVAL_ASK = (
    "Đồng chí gõ số quyết định cho phép kết nạp trên 60 tuổi và cấp ủy ra quyết định, "
    "ví dụ: 45-QĐ/TU, Tỉnh ủy Bình Định (hoặc chọn “Không, hủy”)."
)
APPROVAL_DONE = "Kết nạp trên 60 tuổi theo quyết định {decision} của {authority}."
RECOGNISE_ASK_DECISION = "Số quyết định công nhận đảng viên chính thức, ví dụ: 45-QĐ/ĐU; hoặc chọn “Bỏ qua” nếu chưa có."
RECOGNISE_DECISION = ", quyết định số {decision}"
EXAMPLE_RECOGNITION_DECISION = "45-QĐ/ĐU"
CONFIRM_OR_APPROVAL = (
    "Đồng chí chọn “Có, xác nhận” hoặc “Không, hủy”, hoặc gõ luôn số quyết định và cấp ủy cho phép, "
    "ví dụ: 45-QĐ/TU, Tỉnh ủy Bình Định"
)
# Demo data and real data never share a database.
DEMO_REFUSED_REAL_TREE = (
    "Cơ sở dữ liệu này đã có cây tổ chức thật (gốc {root}) nên không tạo dữ liệu mẫu: dữ liệu mẫu không được "
    "lẫn vào báo cáo thật. Muốn dùng thử, đồng chí đặt CHIBOT_DATABASE_URL tới một tệp riêng, ví dụ: "
    "CHIBOT_DATABASE_URL=sqlite+aiosqlite:///data/demo.sqlite3 chibot run --console"
)
IMPORT_DEMO_DATABASE = (
    "Dòng {row}: cơ sở dữ liệu này đang chứa dữ liệu mẫu (gốc DEMO) nên không nhập cây thật (gốc {code}) "
    "vào đây, để dữ liệu mẫu không lẫn vào báo cáo thật. Đồng chí nhập vào cơ sở dữ liệu riêng, ví dụ: "
    "CHIBOT_DATABASE_URL=sqlite+aiosqlite:///data/chibot-that.sqlite3 chibot org import TỆP, "
    "hoặc xóa tệp dữ liệu dùng thử (data/chibot.sqlite3) rồi nhập lại."
)
CONSOLE_DEMO_FILE = (
    "Cơ sở dữ liệu đang dùng có cây tổ chức thật; kênh console dùng thử chạy trên tệp dữ liệu mẫu riêng {path}."
)

# `chibot --help`: the command line's help in Vietnamese (argparse's own words too).
CLI_USAGE_PREFIX = "Cách dùng: "
CLI_POSITIONALS = "tham số"
CLI_OPTIONS = "tùy chọn"
CLI_COMMANDS = "các lệnh"
CLI_HELP_OPTION = "hiện hướng dẫn này rồi thoát"
CLI_DESCRIPTION = "Chibot — trợ lý công tác phát triển đảng viên. Gõ chibot LỆNH --help để xem cách dùng từng lệnh."
CLI_HELP = {
    "run": "chạy bot trên các kênh đã cấu hình (chưa có token thì mở console dùng thử)",
    "run.console": "luôn mở kênh console",
    "run.role": "vai trò của tiến trình: all (tất cả), web (nhận và gửi tin), scheduler (việc định kỳ)",
    "chat": "trò chuyện trên console với vai trò một người dùng console",
    "chat.user": "tên người dùng console, ví dụ bithu hoặc canbo (tạo bằng chibot demo)",
    "demo": "nạp dữ liệu mẫu (chạy lại nhiều lần không sao); từ chối cơ sở dữ liệu đã có cây thật",
    "db": "cơ sở dữ liệu",
    "db.upgrade": "cập nhật cơ sở dữ liệu lên phiên bản mới nhất",
    "db.backup": "sao lưu nhất quán cơ sở dữ liệu SQLite, kể cả khi bot đang chạy",
    "db.backup.path": "tệp sao lưu sẽ tạo (chưa tồn tại)",
    "org": "cây tổ chức",
    "org.import": "nhập hoặc cập nhật cây tổ chức từ tệp CSV hoặc XLSX",
    "org.import.file": "tệp CSV (UTF-8) hoặc XLSX có cột code,parent_code,name,kind,members",
    "org.tree": "in cây tổ chức cùng số đảng viên",
    "org.tree.code": "mã đơn vị gốc của nhánh cần in (mặc định: cả cây)",
    "invite": "mã mời đăng ký",
    "invite.create": "tạo và in một mã mời mới",
    "invite.org": "mã đơn vị của người được mời",
    "invite.role": "vai trò: secretary (bí thư chi bộ), staff (cán bộ cấp ủy), admin (quản trị)",
    "invite.uses": "số lần dùng được (mặc định 1)",
    "invite.days": "số ngày hiệu lực (mặc định 7)",
    "faq": "trả lời câu hỏi từ cơ sở tri thức",
    "faq.question": "câu hỏi; bỏ trống thì đọc mỗi dòng một câu hỏi từ đầu vào chuẩn",
    "faq.json": "in kết quả dạng JSON",
    "kb": "cơ sở tri thức",
    "kb.check": "kiểm tra tệp cơ sở tri thức",
    "kb.check.path": "tệp YAML cần kiểm tra (mặc định: CHIBOT_KB_PATH hoặc tệp đi kèm)",
    "report": "tình hình phát triển đảng viên của một nhánh cây (mặc định: gốc)",
    "report.org": "mã đơn vị (mặc định: gốc)",
    "report.year": "năm báo cáo (mặc định: năm nay)",
    "report.json": "in một đối tượng JSON (theo hợp đồng báo cáo)",
    "report.xlsx": "ghi bảng tính Excel vào ĐƯỜNG_DẪN",
    "report.png": "ghi biểu đồ (PNG) vào ĐƯỜNG_DẪN",
    "report.depth": "số cấp dưới đơn vị hiện trong bảng (mặc định: tất cả)",
    "target": "chỉ tiêu kết nạp",
    "target.set": "giao chỉ tiêu kết nạp một năm cho một đơn vị",
    "target.org": "mã đơn vị",
    "target.year": "năm của chỉ tiêu",
    "target.value": "chỉ tiêu, số nguyên từ 0",
}
