-- CreateTable
CREATE TABLE "StaffSession" (
    "hash" TEXT NOT NULL,
    "plieCode" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "StaffSession_pkey" PRIMARY KEY ("hash")
);

-- CreateIndex
CREATE INDEX "StaffSession_plieCode_email_idx" ON "StaffSession"("plieCode", "email");

