// The dashboard as a browser uses it, for tests and the dashboard benchmark: a client that keeps
// its cookies, posts forms with their CSRF token and signs in through the sign-in page.
/** A browser-like client: keeps cookies (dropping those a response expires), follows nothing by itself. */
export class FormClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** The CSRF token of the page at `path` (its first form). */
  async csrfFrom(path: string): Promise<string> {
    const html = await (await this.request('GET', path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token === undefined) throw new Error(`no CSRF token on ${path}`);
    return token;
  }

  /** Posts the dashboard's sign-in form with its CSRF token; a 303 means signed in. */
  async signIn(email: string, password: string): Promise<Response> {
    const _csrf = await this.csrfFrom('/dashboard/login');
    return this.request('POST', '/dashboard/login', { _csrf, email, password, next: '/dashboard/' });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}
