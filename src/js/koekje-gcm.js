// Koekje: Google Consent Mode v2 defaults. Load this classic script before
// the Google tag (gtag.js or Google Tag Manager):
//   <script src="/koekje/koekje-gcm.js"></script>
// It denies every signal but security_storage until Koekje sends the
// visitor's choice with gtag('consent', 'update', …).
(function (w) {
  w.dataLayer = w.dataLayer || [];
  if (typeof w.gtag !== 'function') {
    w.gtag = function gtag() { w.dataLayer.push(arguments); };
  }
  w.gtag('consent', 'default', {
    ad_storage: 'denied',
    ad_user_data: 'denied',
    ad_personalization: 'denied',
    analytics_storage: 'denied',
    functionality_storage: 'denied',
    personalization_storage: 'denied',
    security_storage: 'granted',
    wait_for_update: 500,
  });
})(window);
