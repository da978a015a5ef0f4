// The complaint form, with JavaScript: the same rules the server applies, checked before sending so
// the visitor hears at once (an email or a phone, at most so many files of so many bytes). The
// words come from the form's data attributes, in the page's language. Without this module the form
// works all the same; the server's answer says the same things.

const form = document.querySelector("form.complaint");

if (form) {
  const email = form.querySelector("#email");
  const phone = form.querySelector("#phone");
  const files = form.querySelector("#files");
  const maxFiles = Number(form.dataset.maxFiles);
  const maxBytes = Number(form.dataset.maxBytes);

  // The browser shows these messages beside the field and refuses to send until they clear.
  const checkContact = () => {
    const missing = email.value.trim() === "" && phone.value.trim() === "";
    email.setCustomValidity(missing ? form.dataset.problemContact : "");
  };

  const checkFiles = () => {
    const chosen = Array.from(files.files);
    const bytes = chosen.reduce((sum, file) => sum + file.size, 0);
    let message = "";
    if (chosen.length > maxFiles) {
      message = form.dataset.problemFilesCount;
    } else if (bytes > maxBytes) {
      message = form.dataset.problemFilesSize;
    }
    files.setCustomValidity(message);
    if (message) {
      files.reportValidity();
    }
  };

  email.addEventListener("input", checkContact);
  phone.addEventListener("input", checkContact);
  files.addEventListener("change", checkFiles);
  form.addEventListener("submit", (event) => {
    checkContact();
    checkFiles();
    if (!form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
    }
  });
}
