// Start GOV.UK Frontend's components. Served as a file so no inline script is needed.
import { initAll } from "../govuk/govuk-frontend.min.js";
initAll();
