// GOV.UK Frontend: mark the page as having JavaScript before it paints. A file, not an inline
// script, so the Content-Security-Policy never needs 'unsafe-inline' (docs/security.md).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
