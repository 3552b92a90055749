
/** Settles with the record that counts (or null) once Koekje has started, or with null if it cannot start (the console says why). Before that, `accepted()` is false and `consent()` is null. */
export declare const ready: Promise<ConsentRecord | null>;

/** A text, or one per language (`{ "nl": "…", "fr": "…" }`). */
export type KoekjeText = string | Record<string, string>;

/** A cookie a category or service sets: a name (`*` wildcards) or a described one. */
export type KoekjeCookie = string | { name: string; provider?: string; purpose?: KoekjeText; duration?: KoekjeText };

/** A service within a category (what `data-service` names). */
export interface KoekjeService {
  id: string;
  name?: KoekjeText;
  cookies?: KoekjeCookie[];
  storage?: string[];
}

/** A category of cookies and scripts (what `data-category` names). */
export interface KoekjeCategory {
  id: string;
  required?: boolean;
  title?: KoekjeText;
  description?: KoekjeText;
  services?: KoekjeService[];
  cookies?: KoekjeCookie[];
  storage?: string[];
  gpc?: boolean;
}

/** The config: `<script type="application/json" id="koekje-config">` or the `data-config` file. See koekje-config.schema.json. */
export interface KoekjeConfig {
  $schema?: string;
  $comment?: string;
  revision?: number;
  language?: string;
  defaultLanguage?: string;
  expiryDays?: number;
  privacyPolicy?: KoekjeText;
  layout?: "bar" | "box";
  theme?: "auto" | "light" | "dark";
  blocking?: boolean;
  reloadOnWithdrawal?: boolean;
  consentMode?: {
    mode?: "basic" | "advanced";
    signals?: Partial<Record<"ad_storage" | "ad_user_data" | "ad_personalization" | "analytics_storage" | "functionality_storage" | "personalization_storage" | "security_storage", string[]>>;
    googleServices?: string[];
  };
  categories?: KoekjeCategory[];
  texts?: Record<string, Record<string, string>>;
  /** Send every choice, change and withdrawal to a koekje-log receiver at this base address. */
  consentLog?: { url: string };
  /** Where the choice is kept: localStorage (the default), a first-party cookie the server can read, or both (the newest record that still counts wins). */
  store?: "localStorage" | "cookie" | "both";
  /** The cookie of `store` "cookie" or "both": its name (default "koekje"; letters, digits, - and _), and the domain it is shared with (the page's host or a parent of it; none: this host only). */
  consentCookie?: { name?: string; domain?: string };
}
