import { expect, test as setup } from "@playwright/test";
import { demoUsers } from "../prisma/demo-fleet";
import { storageStateFor } from "./support/roles";

for (const user of demoUsers) {
  setup(`sign in as ${user.role}`, async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("signed-in-user")).toContainText(user.email);
    await page.context().storageState({ path: storageStateFor(user.role) });
  });
}
