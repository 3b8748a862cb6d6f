/** Typed errors thrown by services; the one error handler maps each to a status and a page. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Không tìm thấy trang hoặc dữ liệu bạn cần.') {
    super(404, message);
  }
}

/** No logged-in user where one is needed (never logged in, or the session expired mid-form). */
export class UnauthorizedError extends HttpError {
  constructor(message = 'Cần đăng nhập để tiếp tục.') {
    super(401, message);
  }
}

/** What a form submitted after its session expired is told: nothing was saved, and how to go on. */
export const SESSION_EXPIRED_MESSAGE =
  'Phiên đăng nhập đã hết hạn nên chưa lưu được. Hãy đăng nhập lại: bạn sẽ được đưa về trang vừa làm.';

export class ForbiddenError extends HttpError {
  constructor(message = 'Bạn không có quyền thực hiện thao tác này.') {
    super(403, message);
  }
}

export type FieldErrors = Record<string, string>;

/**
 * Bad input: one Vietnamese message per field, shown next to that field when the form is re-rendered; 400
 * unless the input was refused for its size (413).
 */
/** What a refused form is drawn again with besides the typed values: values to replace, locals for the page. */
export interface FormRedraw {
  readonly values?: Record<string, string>;
  readonly locals?: Record<string, unknown>;
}

export class ValidationError extends HttpError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = 'Vui lòng sửa các ô được đánh dấu.',
    status = 400,
    readonly redraw: FormRedraw = {},
  ) {
    super(status, message);
  }
}

/** Throws a ValidationError when any field failed; keeps call sites to one line. */
export function assertNoFieldErrors(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** Too many attempts: the client may try again after `retryAfterSeconds` (sent as the Retry-After header). */
export class TooManyRequestsError extends HttpError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Bạn thao tác quá nhiều lần. Hãy thử lại sau ít phút.',
  ) {
    super(429, message);
  }
}

/** The account is locked after too many failed logins until a team lead or an admin unlocks it. */
export class AccountLockedError extends HttpError {
  constructor(
    message = 'Tài khoản đã bị khóa do đăng nhập sai nhiều lần. Hãy nhờ tổ trưởng hoặc quản trị viên mở khóa.',
  ) {
    super(403, message);
  }
}

/** What a request is told when the worker pool that renders reports and large exports is full. */
export const SERVER_BUSY_MESSAGE = 'Máy chủ đang bận, vui lòng thử lại sau ít phút.';

/** The server cannot take this work now (its worker pool is full): the client may try again shortly. */
export class ServerBusyError extends HttpError {
  constructor(message = SERVER_BUSY_MESSAGE) {
    super(503, message);
  }
}
